import { mockCredentials } from '@backstage/backend-test-utils';
import { Caller } from '../caller';
import { InProgressLimiter } from './InProgressLimiter';

const user = (ref: string): Caller => ({ kind: 'user', id: ref, credentials: mockCredentials.user(ref) });
const service = (subject: string): Caller => ({
  kind: 'service',
  id: subject,
  credentials: mockCredentials.service(subject),
});

/** Work that runs until the test ends it. */
function pending<T = string>() {
  let end!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    end = resolve;
    fail = reject;
  });
  return { work: () => promise, end, fail };
}

const jane = user('user:default/jane');
const limits = { noun: 'batch requests', maxConcurrent: 3, maxConcurrentPerCaller: 2, maxHoldMs: 60_000 };

describe('InProgressLimiter', () => {
  it('refuses a caller past its own cap with 429, in the noun given, without starting the work', async () => {
    const limiter = new InProgressLimiter(limits);
    const [a, b] = [pending(), pending()];
    const running = [limiter.run(jane, a.work), limiter.run(jane, b.work)];
    const third = jest.fn(async () => 'ran');
    const refusal = await limiter.run(jane, third).catch(e => e);
    expect(refusal).toMatchObject({
      name: 'TooManyRequestsError',
      statusCode: 429,
      message:
        'Too many batch requests in progress for this caller (at most 2 at a time); retry when one has finished',
      retryAfterSeconds: 2,
    });
    expect(third).not.toHaveBeenCalled();
    a.end('a');
    b.end('b');
    await expect(Promise.all(running)).resolves.toEqual(['a', 'b']);
    await expect(limiter.run(jane, async () => 'again')).resolves.toBe('again');
  });

  it('counts a user once however the entity ref is cased, and services by their subject', async () => {
    const limiter = new InProgressLimiter({ ...limits, maxConcurrent: 10 });
    const hold = pending();
    void limiter.run(jane, hold.work);
    void limiter.run(user('user:default/Jane'), hold.work);
    await expect(limiter.run(user('USER:DEFAULT/JANE'), hold.work)).rejects.toMatchObject({ statusCode: 429 });
    void limiter.run(service('ci-bot'), hold.work);
    void limiter.run(service('CI-bot'), hold.work);
    expect(limiter.inProgress(service('ci-bot'))).toBe(1);
    expect(limiter.inProgress()).toBe(4);
    hold.end('done');
  });

  it('refuses everyone past the total cap with 503 while others hold the slots', async () => {
    const limiter = new InProgressLimiter(limits);
    const hold = pending();
    const running = ['a', 'b', 'c'].map(name => limiter.run(user(`user:default/${name}`), hold.work));
    await expect(limiter.run(user('user:default/d'), async () => 'd')).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'Too many batch requests in progress (at most 3 at a time); retry shortly',
      retryAfterSeconds: 2,
    });
    hold.end('x');
    await Promise.all(running);
    expect(limiter.inProgress()).toBe(0);
  });

  it('frees the slot when the work fails, and the failure reaches the caller', async () => {
    const limiter = new InProgressLimiter(limits);
    await expect(
      limiter.run(jane, async () => {
        throw new Error('database gone');
      }),
    ).rejects.toThrow('database gone');
    expect(limiter.inProgress(jane)).toBe(0);
  });

  it('keeps the slot of work answered with a timeout until that work really ends, whether it succeeds or fails', async () => {
    const limiter = new InProgressLimiter(limits);
    for (const settle of ['end', 'fail'] as const) {
      const upstream = pending();
      const timeout = Object.assign(new Error('timed out'), { stillRunning: upstream.work() });
      await expect(limiter.run(jane, () => Promise.reject(timeout))).rejects.toBe(timeout);
      expect(limiter.inProgress(jane)).toBe(1);
      upstream[settle](new Error('late') as never);
      await new Promise(resolve => setImmediate(resolve));
      expect(limiter.inProgress(jane)).toBe(0);
    }
  });

  it('frees a slot held for a hung upstream after maxHoldMs', async () => {
    jest.useFakeTimers();
    try {
      const limiter = new InProgressLimiter({ ...limits, maxHoldMs: 5_000 });
      const hung = Object.assign(new Error('timed out'), { stillRunning: new Promise(() => {}) });
      await expect(limiter.run(jane, () => Promise.reject(hung))).rejects.toBe(hung);
      await jest.advanceTimersByTimeAsync(4_999);
      expect(limiter.inProgress(jane)).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(limiter.inProgress(jane)).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('says to come back after about as long as the work has been taking', async () => {
    jest.useFakeTimers();
    try {
      const limiter = new InProgressLimiter({ ...limits, maxConcurrentPerCaller: 1, initialEstimateMs: 1000 });
      for (let i = 0; i < 20; i++) {
        const run = limiter.run(jane, () => new Promise(resolve => setTimeout(resolve, 9_000)));
        await jest.advanceTimersByTimeAsync(9_000);
        await run;
      }
      const hold = pending();
      void limiter.run(jane, hold.work);
      await expect(limiter.run(jane, hold.work)).rejects.toMatchObject({ retryAfterSeconds: 9 });
      hold.end('done');
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects limits that would refuse everything or nothing', () => {
    expect(() => new InProgressLimiter({ ...limits, maxConcurrentPerCaller: 0 })).toThrow(
      'InProgressLimiter: maxConcurrentPerCaller must be a positive integer, got 0',
    );
    expect(() => new InProgressLimiter({ ...limits, maxConcurrent: 1.5 })).toThrow(/maxConcurrent must be/);
  });
});
