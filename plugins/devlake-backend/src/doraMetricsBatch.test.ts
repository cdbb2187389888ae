import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createDevLakeSchema, DevLakeTestDatabases } from '@fawkes/devlake-fixtures';
import { api } from './__testUtils__/api';
import { catalogEntities, startDevLakeBackend } from './__testUtils__/backend';
import { buildDoraFixture, currentPeriod } from './__testUtils__/doraFixture';

jest.setTimeout(60_000);

const databases = new DevLakeTestDatabases();
afterAll(() => databases.cleanup());

const auth = { Authorization: mockCredentials.user.header('user:default/alice') };

describe.each(databases.eachSupportedId())('POST /dora-metrics/batch on %s', databaseId => {
  let server: any;

  beforeAll(async () => {
    const db = await databases.init(databaseId);
    await createDevLakeSchema(db.knex);
    await buildDoraFixture().write(db.knex);
    ({ server } = await startDevLakeBackend(
      { database: { client: db.client, connection: db.connection }, cache: { ttl: 0 } },
      [],
      // Two requests a minute: the batch costs one of them, whatever its size.
      { apiGuard: { rateLimit: { user: { limit: 2 } } } },
    ));
  });

  const batch = (body: unknown) => api(server).post('/api/devlake/dora-metrics/batch').set(auth).send(body as object);

  it('answers what GET /dora-metrics answers per project, in order, a 404 only for its item; one request of the rate limit', async () => {
    const res = await batch({ projects: ['gamma', 'shop-frontend', 'nobody', ' beta '], ...currentPeriod });
    expect(res.status).toBe(200);
    expect(res.headers['x-ratelimit-remaining']).toBe('1');
    expect(res.body.period).toEqual(currentPeriod);
    expect(res.body.items.map((i: any) => i.project)).toEqual(['gamma', 'shop-frontend', 'nobody', 'beta']);
    expect(res.body.items[2]).toEqual({ project: 'nobody', error: { status: 404, message: "Project 'nobody' not found in DevLake" } });

    const single = await api(server)
      .get('/api/devlake/dora-metrics')
      .query({ project: 'shop-frontend', ...currentPeriod })
      .set(auth);
    expect(single.status).toBe(200);
    // shop-frontend is the catalog's name of DevLake project alpha.
    expect(res.body.items[1].response).toEqual(single.body);
    expect(res.body.items[1].response.metrics.deploymentFrequency.value).toBeGreaterThan(0);
    expect(res.body.items[0].response.project).toBe('gamma');
  });
});

describe('POST /dora-metrics/batch bad input', () => {
  let server: any;
  beforeAll(async () => {
    const db = await databases.init('SQLITE_3');
    await createDevLakeSchema(db.knex);
    await buildDoraFixture().write(db.knex);
    ({ server } = await startDevLakeBackend({ database: { client: db.client, connection: db.connection } }));
  });
  const batch = (body: unknown) => api(server).post('/api/devlake/dora-metrics/batch').set(auth).send(body as object);

  it.each([
    [{}, 'projects', 'projects must be an array of project names'],
    [{ projects: [] }, 'projects', 'projects must name at least one project'],
    [{ projects: Array.from({ length: 101 }, (_, i) => `p${i}`) }, 'projects', 'projects must name at most 100 projects'],
    [{ projects: ['alpha', 'alpha '] }, 'projects', 'projects must not name a project twice'],
    [{ projects: ['alpha', ' '] }, 'projects.1', 'project must not be empty'],
    [{ projects: ['alpha'], startDate: '2024-02-30' }, 'startDate', 'startDate must be an ISO 8601 date (YYYY-MM-DD) or date-time'],
    [{ projects: ['alpha'], benchmark: '2022' }, 'benchmark', "benchmark must be '2021' or '2023'"],
  ])('%j → 400', async (body, path, message) => {
    const res = await batch(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: message, details: [{ path, message }] });
  });

  it('rejects a body that is not an object, and unknown fields', async () => {
    const array = await batch(['alpha']);
    expect(array.status).toBe(400);
    expect(array.body.error).toBe('the body must be a JSON object');
    const unknown = await batch({ projects: ['alpha'], team: 'Platform' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/team|additional/i);
  });

  it('answers 503 while the database is not configured', async () => {
    const { server: unconfigured } = await startDevLakeBackend({});
    const res = await api(unconfigured).post('/api/devlake/dora-metrics/batch').set(auth).send({ projects: ['alpha'] });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'DevLake database is not configured: set devlake.database' });
  });
});

describe('POST /dora-metrics/batch catalog lookups', () => {
  it('resolves the plain names in two catalog requests in all, then from the lookup cache', async () => {
    const catalog = catalogServiceMock({ entities: catalogEntities });
    const calls: string[] = [];
    const counting = createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () =>
        new Proxy(catalog, {
          get(target, prop, receiver) {
            const value = Reflect.get(target, prop, receiver);
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              calls.push(String(prop));
              return value.apply(target, args);
            };
          },
        }),
    });
    const db = await databases.init('SQLITE_3');
    await createDevLakeSchema(db.knex);
    await buildDoraFixture().write(db.knex);
    const { server } = await startDevLakeBackend(
      { database: { client: db.client, connection: db.connection }, cache: { ttl: 0 } },
      [],
      {},
      counting,
    );
    // A component (annotated: alpha), a system (annotated: delta), a component without the
    // annotation and a name the catalog does not have.
    const body = { projects: ['shop-frontend', 'payments', 'beta', 'gamma'], ...currentPeriod };
    const res = await api(server).post('/api/devlake/dora-metrics/batch').set(auth).send(body);
    expect(res.status).toBe(200);
    expect(calls).toEqual(['getEntitiesByRefs', 'getEntitiesByRefs']);

    for (const [i, devlake] of ['alpha', 'delta', 'beta', 'gamma'].entries()) {
      const direct = await api(server)
        .get('/api/devlake/dora-metrics')
        .query({ project: devlake, ...currentPeriod })
        .set(auth);
      expect({ project: body.projects[i], metrics: res.body.items[i].response.metrics }).toEqual({
        project: body.projects[i],
        metrics: direct.body.metrics,
      });
    }

    calls.length = 0;
    const again = await api(server).post('/api/devlake/dora-metrics/batch').set(auth).send(body);
    expect(again.body.items).toEqual(res.body.items);
    // devlake.cache.catalogTtl (1 minute by default) keeps each caller's answers.
    expect(calls).toEqual([]);
  });
});
