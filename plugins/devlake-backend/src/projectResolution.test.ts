import { BackstageCredentials, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { CompoundEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService, catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createDevLakeSchema, DevLakeTestDatabases } from '@fawkes/devlake-fixtures';
import { api } from './__testUtils__/api';
import { startDevLakeBackend } from './__testUtils__/backend';
import { buildDoraFixture, currentPeriod } from './__testUtils__/doraFixture';

jest.setTimeout(60_000);

const databases = new DevLakeTestDatabases();
afterAll(() => databases.cleanup());

/**
 * A catalog holding one component whose DevLake project annotation the test can change or
 * whose lookups it can make fail; it records who looked up what.
 */
function recordingCatalog() {
  const state = { project: 'alpha', failing: false, lookups: [] as string[] };
  const factory = createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      ({
        async getEntityByRef(ref: CompoundEntityRef, { credentials }: { credentials: BackstageCredentials }) {
          const principal = credentials.principal as { userEntityRef?: string; subject?: string };
          state.lookups.push(`${principal.userEntityRef ?? principal.subject} ${stringifyEntityRef(ref)}`);
          if (state.failing) throw new Error('catalog down');
          if (stringifyEntityRef(ref) !== 'component:default/shop-frontend') return undefined;
          return {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'shop-frontend', annotations: { 'devlake.apache.org/project-name': state.project } },
          };
        },
      }) as unknown as CatalogService,
  });
  return { state, factory };
}

describe('catalog lookups of project names', () => {
  async function start(devlake: Record<string, unknown> = {}) {
    const db = await databases.init('SQLITE_3');
    await createDevLakeSchema(db.knex);
    await buildDoraFixture().write(db.knex);
    const catalog = recordingCatalog();
    const logger = mockServices.logger.mock();
    const { server } = await startDevLakeBackend(
      { database: { client: db.client, connection: db.connection }, ...devlake },
      [logger.factory],
      {},
      catalog.factory,
    );
    const metrics = (user: string, startDate = currentPeriod.startDate, project = 'shop-frontend') =>
      api(server)
        .get('/api/devlake/dora-metrics')
        .query({ ...currentPeriod, startDate, project })
        .set({ Authorization: mockCredentials.user.header(user) });
    return { catalog: catalog.state, metrics, logger };
  }

  it("reuses each caller's own lookup for devlake.cache.catalogTtl (default 1 minute)", async () => {
    const { catalog, metrics } = await start();
    const first = await metrics('user:default/alice');
    expect(first.status).toBe(200);
    // Another period: not in the result cache, yet the name is not looked up again.
    catalog.project = 'beta';
    const second = await metrics('user:default/alice', '2024-03-05');
    expect(second.status).toBe(200);
    expect(catalog.lookups).toEqual(['user:default/alice component:default/shop-frontend']);

    // Another caller gets a lookup of their own (their catalog view may differ).
    const bob = await metrics('user:default/bob');
    expect(bob.status).toBe(200);
    expect(catalog.lookups).toEqual([
      'user:default/alice component:default/shop-frontend',
      'user:default/bob component:default/shop-frontend',
    ]);
    // beta has one deployment in the period.
    expect(bob.body.metrics.deploymentFrequency.value).toBe(0.5);
    // alice's second answer was alpha's: the first lookup's answer was reused.
    const alpha = await metrics('user:default/carol', '2024-03-05', 'alpha');
    expect(second.body.metrics).toEqual(alpha.body.metrics);
  });

  it('looks the name up on every request with catalogTtl 0', async () => {
    const { catalog, metrics } = await start({ cache: { catalogTtl: 0 } });
    const alpha = await metrics('user:default/alice');
    catalog.project = 'beta';
    const beta = await metrics('user:default/alice');
    expect(catalog.lookups).toHaveLength(2);
    expect(alpha.body.metrics.deploymentFrequency.value).toBe(2);
    expect(beta.body.metrics.deploymentFrequency.value).toBe(0.5);
  });

  it('does not keep a failed lookup', async () => {
    const { catalog, metrics, logger } = await start();
    catalog.failing = true;
    const down = await metrics('user:default/alice');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ error: 'Catalog is unavailable' });
    // The cause is logged once, with the request's id; the body above stays the safe message.
    const id = down.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const lines = logger.warn.mock.calls.map(call => String(call[0])).filter(line => line.includes(id));
    expect(lines).toEqual([
      `GET /api/devlake/dora-metrics (request ${id}) answered 'Catalog is unavailable': catalog: Error: catalog down`,
    ]);
    catalog.failing = false;
    const up = await metrics('user:default/alice');
    expect(up.status).toBe(200);
    expect(up.body.metrics.deploymentFrequency.value).toBe(2);
  });
});
