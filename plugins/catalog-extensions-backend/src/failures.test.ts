import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createOpenApiResponseChecker } from '@fawkes/plugin-api-guard-node/testUtils';
import { Router } from 'express';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { catalogExtensionsPlugin } from './plugin';
import { loadOpenApiDocument } from './schema/openapi';
import * as fixtures from './testUtils/fixtures';

jest.setTimeout(60_000);

const API = '/api/catalog-extensions';
const LOCATION_ID = '0b5a4c1e-3f0e-4a39-9e6c-1f2f3e4d5c6b';
const CATALOG_TIMEOUT_MS = 500;
const check = createOpenApiResponseChecker(loadOpenApiDocument(), { basePath: API });
const api = (app: any) => ({
  get: (p: string) => request(app).get(p).expect(check),
  post: (p: string) => request(app).post(p).expect(check),
});

/** How the stand-in catalog misbehaves: answer 500 with internals, or drop the connection. */
let catalogMode: 'error' | 'down' | 'hang' = 'error';

/**
 * A `catalog` plugin that fails every call; the real catalog client behind
 * `catalogServiceRef` talks to it over HTTP, so everything of ours runs for real.
 */
const failingCatalog = createBackendPlugin({
  pluginId: 'catalog',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = Router();
        router.use((req, res) => {
          if (catalogMode === 'hang') {
            // Answers long after every timeout here (never answering would keep the test
            // backend from stopping: it waits for open requests).
            setTimeout(() => res.status(500).json({ error: { name: 'Error', message: 'late' } }), 5000);
            return;
          }
          if (catalogMode === 'down') {
            req.socket.destroy();
            return;
          }
          res.status(500).json({
            error: { name: 'Error', message: 'connect ECONNREFUSED 10.0.0.5:5432 password=hunter2' },
          });
        });
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        httpRouter.use(router);
      },
    });
  },
});

describe('documented failures', () => {
  const user = mockCredentials.user.header('user:default/alice');
  let server: any;
  let tmp: string;

  beforeAll(async () => {
    tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'catalog-ext-failures-')));
    await fs.writeFile(path.join(tmp, 'catalog-info.yaml'), fixtures.singleComponent('svc-failing'));
    ({ server } = await startTestBackend({
      features: [
        catalogExtensionsPlugin,
        failingCatalog,
        mockServices.rootConfig.factory({
          data: {
            apiGuard: { maxBodySize: '1kb', rateLimit: { user: { limit: 1000 } } },
            catalogExtensions: {
              allowedFileRoots: [tmp],
              catalogTimeout: { milliseconds: CATALOG_TIMEOUT_MS },
              registrations: { maxConcurrent: 1 },
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  const register = () =>
    api(server)
      .post(`${API}/locations`)
      .set('Authorization', user)
      .send({ type: 'file', target: path.join(tmp, 'catalog-info.yaml') });

  describe('when the catalog answers 500', () => {
    beforeAll(() => {
      catalogMode = 'error';
    });

    it.each([
      ['POST /locations', register, 'The catalog failed to register catalog locations (500)'],
      ['GET /locations/{id}', () => api(server).get(`${API}/locations/${LOCATION_ID}`).set('Authorization', user), 'The catalog failed to read catalog locations (500)'],
      ['GET /entities', () => api(server).get(`${API}/entities`).set('Authorization', user), 'The catalog failed to read catalog entities (500)'],
    ])('%s answers 502 without the upstream message', async (_name, send, error) => {
      const res = await send();
      expect(res.status).toBe(502);
      expect(res.body).toEqual({ error });
    });
  });

  describe('when the catalog cannot be reached', () => {
    beforeAll(() => {
      catalogMode = 'down';
    });

    it.each([
      ['POST /locations', register, 'The catalog is unavailable (register catalog locations)'],
      ['GET /locations/{id}', () => api(server).get(`${API}/locations/${LOCATION_ID}`).set('Authorization', user), 'The catalog is unavailable (read catalog locations)'],
      ['GET /entities', () => api(server).get(`${API}/entities`).set('Authorization', user), 'The catalog is unavailable (read catalog entities)'],
    ])('%s answers 503', async (_name, send, error) => {
      const res = await send();
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error });
    });
  });

  describe('when the catalog accepts the call and answers only after every timeout', () => {
    beforeAll(() => {
      catalogMode = 'hang';
    });

    it.each([
      ['GET /locations/{id}', () => api(server).get(`${API}/locations/${LOCATION_ID}`).set('Authorization', user), 'read catalog locations'],
      ['GET /entities', () => api(server).get(`${API}/entities`).set('Authorization', user), 'read catalog entities'],
      ['POST /locations', register, 'register catalog locations'],
    ])('%s answers 504 within catalogExtensions.catalogTimeout', async (_name, send, action) => {
      const started = Date.now();
      const res = await send();
      expect(res.status).toBe(504);
      expect(res.body).toEqual({ error: `The catalog did not answer within ${CATALOG_TIMEOUT_MS} ms (${action})` });
      expect(Date.now() - started).toBeLessThan(CATALOG_TIMEOUT_MS + 3000);
    });

    it('keeps the registration slot while the catalog still works on a timed-out call, for a bounded time', async () => {
      const other = mockCredentials.user.header('user:default/carol');
      // the POST of the test before still holds its slot, for at most three catalog timeouts
      await new Promise(resolve => setTimeout(resolve, 3 * CATALOG_TIMEOUT_MS + 200));
      const first = await register();
      expect(first.status).toBe(504);
      const busy = await api(server).post(`${API}/locations`).set('Authorization', other).send({ type: 'file', target: path.join(tmp, 'catalog-info.yaml') });
      expect(busy.status).toBe(503);
      expect(busy.body).toEqual({ error: 'Too many registrations in progress (at most 1 at a time); retry shortly' });
      expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // released at the latest three catalog timeouts after the call started
      await new Promise(resolve => setTimeout(resolve, 3 * CATALOG_TIMEOUT_MS + 200));
      const again = await api(server).post(`${API}/locations`).set('Authorization', other).send({ type: 'file', target: path.join(tmp, 'catalog-info.yaml') });
      expect(again.status).toBe(504);
      await new Promise(resolve => setTimeout(resolve, 3 * CATALOG_TIMEOUT_MS + 200));
    });
  });

  it('answers 413 for a body over apiGuard.maxBodySize, before reading any target', async () => {
    const res = await api(server)
      .post(`${API}/locations`)
      .set('Authorization', user)
      .send({ type: 'file', target: `${tmp}/${'x'.repeat(2048)}` });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'Request body is too large' });
  });

  it('answers 415 for a body encoding it cannot decode', async () => {
    const res = await api(server)
      .post(`${API}/locations`)
      .set('Authorization', user)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'compress')
      .send('{}');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: 'Unsupported request body encoding' });
  });
});

describe('rate limit', () => {
  it('answers 429 with the rate-limit headers once the caller has used its budget', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogExtensionsPlugin,
        failingCatalog,
        mockServices.rootConfig.factory({ data: { apiGuard: { rateLimit: { user: { limit: 2 } } } } }),
      ],
    });
    const user = mockCredentials.user.header('user:default/bob');
    for (let i = 0; i < 2; i++) {
      const res = await api(server).get(`${API}/openapi.json`).set('Authorization', user);
      expect(res.status).toBe(200);
    }
    const limited = await api(server).get(`${API}/locations/not-a-uuid`).set('Authorization', user);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: expect.stringMatching(/^Rate limit exceeded/) });
    expect(limited.headers['x-ratelimit-limit']).toBe('2');
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
  });
});
