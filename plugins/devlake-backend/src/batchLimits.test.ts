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

const as = (user: string) => ({ Authorization: mockCredentials.user.header(`user:default/${user}`) });

/**
 * A catalog whose lookups wait until the test opens the gate: the batches that got a slot stay
 * in progress (a slow catalog or database looks the same to the limiter).
 */
function gatedCatalog() {
  const catalog = catalogServiceMock({ entities: catalogEntities });
  let open!: () => void;
  const gate = new Promise<void>(resolve => (open = resolve));
  let waiting = 0;
  const factory = createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      new Proxy(catalog, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          // Bound to the mock: its other methods' own calls of getEntitiesByRefs are not held.
          if (prop !== 'getEntitiesByRefs') return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: unknown[]) => {
            waiting++;
            await gate;
            return value.apply(target, args);
          };
        },
      }),
  });
  return { factory, open: () => open(), waiting: () => waiting };
}

async function until(condition: () => boolean) {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise(resolve => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

let releaseHeld = () => {};
afterEach(() => releaseHeld());

describe('POST /dora-metrics/batch requests in progress', () => {
  it('caps them per caller (429) and in total (503) with Retry-After, and frees the slots when they end', async () => {
    const db = await databases.init('SQLITE_3');
    await createDevLakeSchema(db.knex);
    await buildDoraFixture().write(db.knex);
    const catalog = gatedCatalog();
    const { server } = await startDevLakeBackend(
      {
        database: { client: db.client, connection: db.connection },
        cache: { ttl: 0, catalogTtl: 0 },
        batch: { maxConcurrent: 3 },
      },
      [],
      {},
      catalog.factory,
    );
    const body = { projects: ['shop-frontend', 'gamma'], ...currentPeriod };
    const batch = (user: string) => api(server).post('/api/devlake/dora-metrics/batch').set(as(user)).send(body);

    // What the team view sends: two at a time. Both are taken in and held at the catalog.
    const held = [batch('alice'), batch('alice'), batch('bob')].map(request => request.then(res => res));
    // Whatever happens below, the held batches end with the test.
    releaseHeld = () => catalog.open();
    await until(() => catalog.waiting() === 3);

    const third = await batch('Alice');
    expect(third.status).toBe(429);
    expect(third.body).toEqual({
      error: 'Too many batch requests in progress for this caller (at most 2 at a time); retry when one has finished',
    });
    expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    const overall = await batch('carol');
    expect(overall.status).toBe(503);
    expect(overall.body).toEqual({ error: 'Too many batch requests in progress (at most 3 at a time); retry shortly' });
    expect(Number(overall.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Refused requests never started any work.
    expect(catalog.waiting()).toBe(3);

    // Single GETs are not batches: they are not held back by the batch caps.
    const single = api(server).get('/api/devlake/dora-metrics').query({ project: 'gamma', ...currentPeriod }).set(as('alice'));
    expect((await single).status).toBe(200);

    catalog.open();
    for (const res of await Promise.all(held)) {
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(2);
    }
    const after = await Promise.all([batch('alice'), batch('alice'), batch('carol')]);
    expect(after.map(res => res.status)).toEqual([200, 200, 200]);
  });
});
