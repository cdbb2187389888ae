import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { randomUUID } from 'node:crypto';
import { connect, createServer, Server, Socket } from 'node:net';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { createProbePlugin } from '../testUtils/createProbePlugin';

const redisUrl = process.env.FAWKES_TEST_REDIS_URL;
const describeWithRedis = redisUrl ? describe : describe.skip;
if (!redisUrl) {
  // eslint-disable-next-line no-console
  console.warn('FAWKES_TEST_REDIS_URL is not set: skipping the Redis rate-limit tests (.ci/run sets it)');
}

const alice = mockCredentials.user.header('user:default/alice');

async function startReplica(store: JsonObject, rateLimit: JsonObject = {}) {
  const { server } = await startTestBackend({
    features: [
      createProbePlugin('probe'),
      mockServices.rootConfig.factory({
        data: { apiGuard: { rateLimit: { user: { limit: 25 }, ...rateLimit, store } } },
      }),
    ],
  });
  return server;
}

describeWithRedis('api guard with a Redis store', () => {
  it('makes two backend replicas admit exactly the limit of one concurrent burst', async () => {
    const store = { type: 'redis', connection: redisUrl!, prefix: `test:${randomUUID()}:` };
    const [one, two] = await Promise.all([startReplica(store), startReplica(store)]);
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        request(i % 2 ? one : two).get('/api/probe/whoami').set('Authorization', alice),
      ),
    );
    expect(results.filter(r => r.status === 200)).toHaveLength(25);
    expect(results.filter(r => r.status === 429)).toHaveLength(55);
    // Both replicas saw the same budget: each refused some of the burst.
    expect(results.filter((r, i) => i % 2 === 1 && r.status === 429).length).toBeGreaterThan(0);
    expect(results.filter((r, i) => i % 2 === 0 && r.status === 429).length).toBeGreaterThan(0);
  });

  it('takes the connection from backend.cache when it is a Redis store', async () => {
    const { server } = await startTestBackend({
      features: [
        createProbePlugin('probe'),
        mockServices.rootConfig.factory({
          data: {
            backend: { cache: { store: 'redis', connection: redisUrl } },
            apiGuard: { rateLimit: { user: { limit: 2 } } },
          },
        }),
      ],
    });
    // A fresh user name per run: the budget lives in the shared Redis.
    const user = mockCredentials.user.header(`user:default/cache-${randomUUID()}`);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await request(server).get('/api/probe/whoami').set('Authorization', user)).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('api guard when the Redis store is unreachable', () => {
  let blackhole: Server;
  let url: string;
  const held = new Set<Socket>();
  beforeAll(async () => {
    // A port that accepts connections and never answers: the slowest kind of dead Redis.
    blackhole = createServer(socket => {
      held.add(socket);
      socket.on('close', () => held.delete(socket));
    });
    await new Promise<void>(resolve => blackhole.listen(0, '127.0.0.1', resolve));
    const address = blackhole.address();
    url = `redis://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    held.forEach(socket => socket.destroy());
    await new Promise(resolve => blackhole.close(resolve));
  });

  it('answers 503 within the command timeout by default, never hangs', async () => {
    const server = await startReplica({ type: 'redis', connection: url, commandTimeout: { milliseconds: 300 } });
    const started = Date.now();
    const res = await request(server).get('/api/probe/whoami').set('Authorization', alice);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: expect.stringMatching(/^Rate limit store/) });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('lets requests through uncounted when onStoreError is allow', async () => {
    const server = await startReplica(
      { type: 'redis', connection: url, commandTimeout: { milliseconds: 300 } },
      { onStoreError: 'allow' },
    );
    const res = await request(server).get('/api/probe/whoami').set('Authorization', alice);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'user', id: 'user:default/alice' });
  });

  it('recovers once Redis answers again', async () => {
    if (!redisUrl) {
      return;
    }
    // A TCP proxy that first refuses, then forwards to the real Redis.
    const target = new URL(redisUrl);
    let forward = false;
    const proxy = createServer(socket => {
      if (!forward) {
        socket.destroy();
        return;
      }
      const upstream = connect(Number(target.port || 6379), target.hostname);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as { port: number }).port;
    try {
      const server = await startReplica({
        type: 'redis',
        connection: `redis://127.0.0.1:${port}`,
        prefix: `test:${randomUUID()}:`,
        commandTimeout: { milliseconds: 300 },
      });
      const down = await request(server).get('/api/probe/whoami').set('Authorization', alice);
      expect(down.status).toBe(503);
      forward = true;
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        await new Promise(resolve => setTimeout(resolve, 200));
        status = (await request(server).get('/api/probe/whoami').set('Authorization', alice)).status;
      }
      expect(status).toBe(200);
    } finally {
      proxy.close();
      // Connections still open are closed when the test backends shut down.
    }
  });
});
