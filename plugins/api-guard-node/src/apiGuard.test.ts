import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { createProbePlugin } from './testUtils/createProbePlugin';

const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');
const ciBot = `Bearer mock-service-token:${JSON.stringify({ sub: 'ci-bot' })}`;

async function startBackend(rateLimit: JsonObject = {}, extra: JsonObject = {}) {
  const { server } = await startTestBackend({
    features: [
      createProbePlugin('probe-a'),
      createProbePlugin('probe-b'),
      mockServices.rootConfig.factory({
        data: { apiGuard: { maxBodySize: '1kb', rateLimit }, ...extra },
      }),
    ],
  });
  return server;
}

describe('api guard: authentication and error bodies', () => {
  let server: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    server = await startBackend();
  });

  it.each([
    ['no credentials', mockCredentials.none.header()],
    ['an invalid user token', mockCredentials.user.invalidHeader()],
    ['an invalid service token', mockCredentials.service.invalidHeader()],
    ['an unknown token', 'Bearer not-a-real-token'],
  ])('answers 401 with the API error body for %s', async (_, header) => {
    const res = await request(server).get('/api/probe-a/whoami').set('Authorization', header);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: expect.any(String) });
    expect(res.body.error.length).toBeGreaterThan(0);
  });

  it('rejects unauthenticated requests on unknown paths too', async () => {
    const res = await request(server)
      .get('/api/probe-a/no-such-route')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('lets users and services through and tells the handler who they are', async () => {
    const user = await request(server).get('/api/probe-a/whoami').set('Authorization', alice);
    expect(user.status).toBe(200);
    expect(user.body).toEqual({ kind: 'user', id: 'user:default/alice' });

    const service = await request(server).get('/api/probe-a/whoami').set('Authorization', ciBot);
    expect(service.status).toBe(200);
    expect(service.body).toEqual({ kind: 'service', id: 'ci-bot' });
  });

  it('renders thrown errors, unknown routes, bad JSON and big bodies as {"error"}', async () => {
    const missing = await request(server).get('/api/probe-a/missing').set('Authorization', alice);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'Thing not found' });

    const unknown = await request(server).get('/api/probe-a/nope').set('Authorization', alice);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: 'Not found' });

    const malformed = await request(server)
      .post('/api/probe-a/echo')
      .set('Authorization', alice)
      .set('Content-Type', 'application/json')
      .send('{"a":');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: 'Malformed JSON in request body' });

    const big = await request(server)
      .post('/api/probe-a/echo')
      .set('Authorization', alice)
      .send({ blob: 'x'.repeat(2048) });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ error: 'Request body is too large' });
  });

  it('masks unexpected errors instead of leaking their message', async () => {
    const res = await request(server).get('/api/probe-a/boom').set('Authorization', alice);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'Internal server error' });
    expect(JSON.stringify(res.body)).not.toContain('postgres://');
  });
});

describe('api guard: per-principal rate limits', () => {
  it('counts down the headers, with Reset in epoch seconds inside the window', async () => {
    const server = await startBackend({ user: { limit: 5 } });
    const before = Math.floor(Date.now() / 1000);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await request(server).get('/api/probe-a/whoami').set('Authorization', alice);
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('5');
      remaining.push(res.headers['x-ratelimit-remaining']);
      const reset = Number(res.headers['x-ratelimit-reset']);
      expect(Number.isInteger(reset)).toBe(true);
      expect(reset).toBeGreaterThanOrEqual(before);
      expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
    }
    expect(remaining).toEqual(['4', '3', '2']);
  });

  it('uses the API document defaults: 100 per user, 1000 per service token', async () => {
    const server = await startBackend();
    const user = await request(server).get('/api/probe-a/whoami').set('Authorization', alice);
    expect(user.headers['x-ratelimit-limit']).toBe('100');
    const service = await request(server).get('/api/probe-a/whoami').set('Authorization', ciBot);
    expect(service.headers['x-ratelimit-limit']).toBe('1000');
  });

  it('stops one user with 429 + Retry-After while others keep their own budgets', async () => {
    const server = await startBackend({ user: { limit: 3 }, service: { limit: 4 } });
    for (let i = 0; i < 3; i++) {
      expect((await request(server).get('/api/probe-a/whoami').set('Authorization', alice)).status).toBe(200);
    }
    const limited = await request(server).get('/api/probe-a/whoami').set('Authorization', alice);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: expect.stringContaining('Rate limit exceeded') });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');

    const other = await request(server).get('/api/probe-a/whoami').set('Authorization', bob);
    expect(other.status).toBe(200);
    expect(other.headers['x-ratelimit-remaining']).toBe('2');

    const service = await request(server).get('/api/probe-a/whoami').set('Authorization', ciBot);
    expect(service.status).toBe(200);
    expect(service.headers['x-ratelimit-limit']).toBe('4');
    expect(service.headers['x-ratelimit-remaining']).toBe('3');
  });

  it('shares one caller budget across plugins', async () => {
    const server = await startBackend({ user: { limit: 4 } });
    const seen: string[] = [];
    for (const plugin of ['probe-a', 'probe-b', 'probe-a', 'probe-b']) {
      const res = await request(server).get(`/api/${plugin}/whoami`).set('Authorization', alice);
      expect(res.status).toBe(200);
      seen.push(res.headers['x-ratelimit-remaining']);
    }
    expect(seen).toEqual(['3', '2', '1', '0']);
    const res = await request(server).get('/api/probe-b/whoami').set('Authorization', alice);
    expect(res.status).toBe(429);
  });

  it('counts every request of a concurrent burst exactly once', async () => {
    const server = await startBackend({ user: { limit: 20 } });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request(server).get(`/api/${i % 2 ? 'probe-a' : 'probe-b'}/whoami`).set('Authorization', alice),
      ),
    );
    expect(results.filter(r => r.status === 200)).toHaveLength(20);
    expect(results.filter(r => r.status === 429)).toHaveLength(30);
  });
});
