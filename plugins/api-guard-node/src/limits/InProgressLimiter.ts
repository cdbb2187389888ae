import { ServiceUnavailableError } from '@backstage/errors';
import { budgetKey, Caller } from '../caller';
import { TooManyRequestsError } from '../errors/httpErrors';

/**
 * Limits of an {@link InProgressLimiter}.
 *
 * @public
 */
export interface InProgressLimits {
  /** Units of work in progress at once, across all callers; one more is refused with 503. */
  maxConcurrent: number;
  /** Units of work in progress at once for one caller; one more is refused with 429. */
  maxConcurrentPerCaller: number;
  /**
   * Longest a slot stays held for work the caller was already answered for (see
   * {@link InProgressLimiter.run}), so that a hung upstream cannot take the slots for good.
   * Default 60 000.
   */
  maxHoldMs?: number;
}

/**
 * Options of an {@link InProgressLimiter}.
 *
 * @public
 */
export interface InProgressLimiterOptions extends InProgressLimits {
  /** What the work is called in the refusals, in the plural: `registrations`, `batch requests`. */
  noun: string;
  /** Retry-After's estimate of how long one unit takes, until some have finished. Default 2000. */
  initialEstimateMs?: number;
}

/**
 * Caps the work in progress that callers can make the server do, per caller (`429`) and in
 * total (`503`), where a rate limit alone would still let one caller keep many expensive
 * requests running. Both refusals carry `retryAfterSeconds` (a moving average of how long the
 * work takes), which the guard's error renderer sends as `Retry-After`; the body is the usual
 * `{"error": "..."}`. Users are counted case-insensitively, as for the rate limits. Counts are
 * per backend process.
 *
 * @public
 */
export class InProgressLimiter {
  private active = 0;
  private readonly perCaller = new Map<string, number>();
  private averageMs: number;

  constructor(private readonly options: InProgressLimiterOptions) {
    for (const key of ['maxConcurrent', 'maxConcurrentPerCaller', 'maxHoldMs'] as const) {
      const value = options[key];
      if (!(key === 'maxHoldMs' && value === undefined) && (!Number.isInteger(value) || (value as number) < 1)) {
        throw new Error(`InProgressLimiter: ${key} must be a positive integer, got ${value}`);
      }
    }
    this.averageMs = options.initialEstimateMs ?? 2000;
  }

  /** Work in progress now, in total and for one caller. */
  inProgress(caller?: Caller): number {
    return caller ? this.perCaller.get(budgetKey(caller)) ?? 0 : this.active;
  }

  /**
   * Runs `work` in one of the caller's slots, or throws the refusal without starting it. The
   * slot is freed when `work` settles, except when it rejects with an error carrying a
   * `stillRunning` promise (a timeout answered while the upstream call goes on): then the
   * slot is held until that promise settles, or `maxHoldMs` at most.
   */
  async run<T>(caller: Caller, work: () => Promise<T>): Promise<T> {
    const { noun, maxConcurrent, maxConcurrentPerCaller } = this.options;
    const key = budgetKey(caller);
    const mine = this.perCaller.get(key) ?? 0;
    if (mine >= maxConcurrentPerCaller) {
      throw this.refusal(
        new TooManyRequestsError(
          `Too many ${noun} in progress for this caller (at most ${maxConcurrentPerCaller} at a time); retry when one has finished`,
        ),
      );
    }
    if (this.active >= maxConcurrent) {
      throw this.refusal(
        new ServiceUnavailableError(`Too many ${noun} in progress (at most ${maxConcurrent} at a time); retry shortly`),
      );
    }
    this.active++;
    this.perCaller.set(key, mine + 1);
    const started = Date.now();
    const release = () => {
      this.active--;
      const left = (this.perCaller.get(key) ?? 1) - 1;
      if (left > 0) this.perCaller.set(key, left);
      else this.perCaller.delete(key);
      this.averageMs = 0.8 * this.averageMs + 0.2 * (Date.now() - started);
    };
    try {
      const result = await work();
      release();
      return result;
    } catch (error) {
      const stillRunning = (error as { stillRunning?: PromiseLike<unknown> })?.stillRunning;
      if (typeof stillRunning?.then === 'function') this.holdUntil(Promise.resolve(stillRunning), release);
      else release();
      throw error;
    }
  }

  private holdUntil(stillRunning: Promise<unknown>, release: () => void): void {
    let timer: NodeJS.Timeout | undefined;
    const held = new Promise(resolve => {
      timer = setTimeout(resolve, this.options.maxHoldMs ?? 60_000);
      timer.unref();
    });
    const settled = stillRunning.then(
      () => undefined,
      () => undefined,
    );
    Promise.race([settled, held]).then(() => {
      clearTimeout(timer);
      release();
    });
  }

  private refusal<E extends Error>(error: E): E & { retryAfterSeconds: number } {
    return Object.assign(error, { retryAfterSeconds: Math.max(1, Math.ceil(this.averageMs / 1000)) });
  }
}
