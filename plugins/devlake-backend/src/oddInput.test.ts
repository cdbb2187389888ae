import { mockCredentials, mockServices, startTestBackend, TestDatabases } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { createDevLakeSchema, DevLakeTestDatabases } from '@fawkes/devlake-fixtures';
import { Knex } from 'knex';
import request from 'supertest';
import { checkAgainstDocument } from './__testUtils__/api';
import { buildDoraFixture, currentPeriod } from './__testUtils__/doraFixture';
import { devlakePlugin } from './plugin';

jest.setTimeout(60_000);

// The real catalog backend (not a mock) answers the plugin's lookups, so that what the catalog
// does with odd names — refuse them with a 4xx — is what the plugin sees.
const devlakeDatabases = new DevLakeTestDatabases();
const hasPostgres = Boolean(process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING);
const catalogDatabases = TestDatabases.create({ ids: hasPostgres ? ['POSTGRES_15', 'SQLITE_3'] : ['SQLITE_3'] });
afterAll(() => devlakeDatabases.cleanup());

const auth = { Authorization: mockCredentials.user.header('user:default/alice') };

const oddNames = ['\u0000', 'a\u0000', 'a\u0000b', 'line\nbreak', '😀', 'shop-😀', '\uD83D', 'a/b/c/d', 'a:b:c', '..', 'x'.repeat(255)];

/** The status itself when it is 400 or 404, so a failure prints the name and the status. */
const oneOf4xx = (status: number) => ([400, 404].includes(status) ? status : '400 or 404');

const combinations = catalogDatabases
  .eachSupportedId()
  .flatMap(([catalog]) => devlakeDatabases.eachSupportedId().map(devlake => [catalog, devlake] as const));

describe.each(combinations)('odd characters: real catalog on %s, DevLake on %s', (catalogDb, devlakeDb) => {
  let server: any;
  let catalogKnex: Knex;

  beforeAll(async () => {
    catalogKnex = await catalogDatabases.init(catalogDb);
    const db = await devlakeDatabases.init(devlakeDb);
    await createDevLakeSchema(db.knex);
    await buildDoraFixture().write(db.knex);
    ({ server } = await startTestBackend({
      features: [
        catalogPlugin,
        devlakePlugin,
        mockServices.database.factory({ knex: catalogKnex }),
        mockServices.rootConfig.factory({
          data: { devlake: { database: { client: db.client, connection: db.connection } } as any },
        }),
      ],
    }));
  });

  it.each(oddNames)('project and service %j answer 400 or 404, never 5xx', async name => {
    const metrics = await request(server)
      .get('/api/devlake/dora-metrics')
      .query({ ...currentPeriod, project: name })
      .set(auth)
      .expect(checkAgainstDocument);
    expect({ name, status: metrics.status }).toEqual({ name, status: oneOf4xx(metrics.status) });
    const history = await request(server)
      .get('/api/devlake/deployment-history')
      .query({ service: name })
      .set(auth)
      .expect(checkAgainstDocument);
    expect({ name, status: history.status }).toEqual({ name, status: oneOf4xx(history.status) });
  });

  it('refuses control characters with a 400 that says so', async () => {
    const res = await request(server).get('/api/devlake/dora-metrics').query({ project: 'a\u0000' }).set(auth);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('project must not contain control characters');
  });

  it('still finds the annotated entity, and answers 503 only when the catalog is really down', async () => {
    const ok = await request(server).get('/api/devlake/dora-metrics').query({ ...currentPeriod, project: 'alpha' }).set(auth);
    expect(ok.status).toBe(200);
    await catalogKnex.destroy();
    const down = await request(server)
      .get('/api/devlake/dora-metrics')
      .query({ ...currentPeriod, project: 'alpha-2' })
      .set(auth)
      .expect(checkAgainstDocument);
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ error: 'Catalog is unavailable' });
  });
});
