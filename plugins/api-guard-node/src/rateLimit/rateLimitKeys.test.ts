import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackend } from '@backstage/backend-defaults';
import { JsonObject } from '@backstage/types';
import { AddressInfo, createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createProbePlugin } from '../testUtils/createProbePlugin';

const redisUrl = process.env.FAWKES_TEST_REDIS_URL;
const describeWithRedis = redisUrl ? describe : describe.skip;

async function startBackend(config: JsonObject) {
  const { server } = await startTestBackend({
    features: [createProbePlugin('probe'), mockServices.rootConfig.factory({ data: config })],
  });
  return server;
}

/**
 * A backend as packages/backend builds it (createBackend, so Backstage's own root HTTP router,
 * which applies `backend.trustProxy`; the test backend's stand-in router does not), with mock
 * authentication, on a free loopback port.
 */
const backends: Array<ReturnType<typeof createBackend>> = [];
afterAll(() => Promise.all(backends.map(backend => backend.stop())));

async function startWithBackstageRootRouter(config: JsonObject): Promise<string> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const backend = createBackend();
  backend.add(createProbePlugin('probe'));
  backend.add(mockServices.auth.factory());
  backend.add(mockServices.httpAuth.factory());
  backend.add(mockServices.rootLogger.factory());
  backend.add(
    mockServices.rootConfig.factory({
      data: { ...config, backend: { ...(config.backend as JsonObject), baseUrl, listen: { host: '127.0.0.1', port } } },
    }),
  );
  await backend.start();
  backends.push(backend);
  return baseUrl;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

const invalidToken = 'Bearer not-a-real-token';

describe('rate-limit keys', () => {
  it('charges one budget to an entity ref however it is cased', async () => {
    const server = await startBackend({ apiGuard: { rateLimit: { user: { limit: 2 } } } });
    const statuses = [];
    for (const ref of ['user:development/RATEA', 'user:development/ratea', 'User:Development/RateA']) {
      const res = await request(server).get('/api/probe/whoami').set('Authorization', mockCredentials.user.header(ref));
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('rate limit of unauthenticated requests, per client address', () => {
  it('counts 401s, with the X-RateLimit headers, and answers 429 once the budget is spent', async () => {
    const server = await startBackend({ apiGuard: { rateLimit: { unauthenticated: { limit: 3 } } } });
    const answers = [];
    for (let i = 0; i < 4; i++) {
      answers.push(await request(server).get('/api/probe/whoami').set('Authorization', invalidToken));
    }
    expect(answers.map(r => r.status)).toEqual([401, 401, 401, 429]);
    expect(answers.map(r => r.headers['x-ratelimit-limit'])).toEqual(['3', '3', '3', '3']);
    expect(answers.map(r => r.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    expect(Number(answers[0].headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect(answers[3].headers['retry-after']).toMatch(/^\d+$/);
    expect(answers[3].body).toEqual({ error: expect.stringMatching(/^Rate limit exceeded: 3 requests per 60s for this client address/) });
    // Requests without any credentials count alike.
    const none = await request(server).get('/api/probe/whoami').set('Authorization', mockCredentials.none.header());
    expect(none.status).toBe(429);
    // Signed-in callers from the same address keep their own budget.
    const user = await request(server).get('/api/probe/whoami').set('Authorization', mockCredentials.user.header());
    expect(user.status).toBe(200);
  });

  it('takes the client address from X-Forwarded-For only when backend.trustProxy says so', async () => {
    const spend = async (baseUrl: string, forwardedFor: string) =>
      (await request(baseUrl).get('/api/probe/whoami').set('Authorization', invalidToken).set('X-Forwarded-For', forwardedFor))
        .status;
    const limit = { apiGuard: { rateLimit: { unauthenticated: { limit: 1 } } } };

    const direct = await startWithBackstageRootRouter(limit);
    expect([await spend(direct, '203.0.113.1'), await spend(direct, '203.0.113.2')]).toEqual([401, 429]);

    const behindProxy = await startWithBackstageRootRouter({ ...limit, backend: { trustProxy: true } });
    expect([await spend(behindProxy, '203.0.113.1'), await spend(behindProxy, '203.0.113.2')]).toEqual([401, 401]);
    expect(await spend(behindProxy, '203.0.113.1')).toBe(429);
  });
});

describeWithRedis('rate limit of unauthenticated requests with a Redis store', () => {
  it('shares the budget of an address across replicas through Redis', async () => {
    const config = {
      apiGuard: {
        rateLimit: {
          unauthenticated: { limit: 4 },
          store: { type: 'redis', connection: redisUrl!, prefix: `test:${randomUUID()}:` },
        },
      },
    };
    const [one, two] = await Promise.all([startBackend(config), startBackend(config)]);
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await request(i % 2 ? one : two).get('/api/probe/whoami').set('Authorization', invalidToken)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });
});
