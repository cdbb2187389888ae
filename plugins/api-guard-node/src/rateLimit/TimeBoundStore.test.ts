import { mockServices } from '@backstage/backend-test-utils';
import { Options } from 'express-rate-limit';
import { randomUUID } from 'node:crypto';
import { connect, createServer, Server } from 'node:net';
import { createClient } from 'redis';
import { createRedisStores, RedisStores } from './createRedisStores';

const redisUrl = process.env.FAWKES_TEST_REDIS_URL;
const describeWithRedis = redisUrl ? describe : describe.skip;

const windowMs = 60_000;
// Each test waits out held replies on purpose (up to about 2.5 s).
jest.setTimeout(20_000);
const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Blocks the event loop, as a process saturated with requests does. */
function blockEventLoop(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}

/**
 * How the proxy treats Redis's replies: each held by `delayMs`, all held until `holdUntil`, and
 * `onForward` called right after a reply passed through unheld.
 */
interface ReplyDelay {
  delayMs: number;
  holdUntil: number;
  onForward?: () => void;
}

/** A TCP proxy to Redis that holds its replies as `delay` says, keeping their order. */
async function slowProxy(delay: ReplyDelay): Promise<{ url: string; server: Server }> {
  const target = new URL(redisUrl!);
  const server = createServer(socket => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    socket.pipe(upstream);
    let held = 0;
    let replies = Promise.resolve();
    upstream.on('data', chunk => {
      const releaseAt = Math.max(Date.now() + delay.delayMs, delay.holdUntil);
      if (releaseAt <= Date.now() && held === 0) {
        socket.write(chunk);
        delay.onForward?.();
        return;
      }
      held++;
      replies = replies.then(() => pause(releaseAt - Date.now())).then(() => {
        socket.write(chunk);
        held--;
      });
    });
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { url: `redis://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

async function readyStores(connection: string, prefix: string, commandTimeoutMs: number): Promise<RedisStores> {
  const stores = createRedisStores({ connection, prefix, commandTimeoutMs, logger: mockServices.logger.mock() });
  stores.user.init({ windowMs } as Options);
  // The client connects in the background and refuses commands until then (no offline
  // queue); the first increment also loads the store's Lua script.
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await stores.user.increment('warm-up');
      return stores;
    } catch {
      await pause(100);
    }
  }
  throw new Error('the Redis store did not connect');
}

async function countOf(key: string): Promise<string | null> {
  const client = createClient({ url: redisUrl });
  await client.connect();
  try {
    return await client.get(key);
  } finally {
    client.destroy();
  }
}

describeWithRedis('rate-limit Redis store under a slow or busy store', () => {
  it('answers 503 when Redis is too slow, and counts the request once, not again on a retry', async () => {
    const delay = { delayMs: 0, holdUntil: 0 };
    const proxy = await slowProxy(delay);
    const prefix = `test:${randomUUID()}:`;
    const stores = await readyStores(proxy.url, prefix, 500);
    try {
      // Replies come late for 800 ms: past the 500 ms bound, yet soon enough that a retry
      // issued on the timeout would succeed and count the request a second time.
      delay.holdUntil = Date.now() + 800;
      await expect(stores.user.increment('alice')).rejects.toThrow('Rate limit store did not answer in time');
      await pause(1500);
      expect(await countOf(`${prefix}user:alice`)).toBe('1');
    } finally {
      await stores.close();
      proxy.server.close();
    }
  });

  it('takes a reply that arrived while the event loop was busy past the timeout', async () => {
    const delay: ReplyDelay = { delayMs: 0, holdUntil: 0 };
    const proxy = await slowProxy(delay);
    const prefix = `test:${randomUUID()}:`;
    const stores = await readyStores(proxy.url, prefix, 50);
    try {
      // The reply reaches the store's socket, then the process stays busy for 300 ms (as
      // under a burst of requests) before it can read it; the 50 ms bound expires meanwhile.
      delay.onForward = () => {
        delay.onForward = undefined;
        blockEventLoop(300);
      };
      await expect(stores.user.increment('bob')).resolves.toMatchObject({ totalHits: 1 });
      await pause(200);
      expect(await countOf(`${prefix}user:bob`)).toBe('1');
    } finally {
      await stores.close();
      proxy.server.close();
    }
  });
});
