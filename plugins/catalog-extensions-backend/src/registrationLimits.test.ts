import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { createOpenApiResponseChecker } from '@fawkes/plugin-api-guard-node/testUtils';
import request from 'supertest';
import { catalogExtensionsPlugin } from './plugin';
import { loadOpenApiDocument } from './schema/openapi';
import * as fixtures from './testUtils/fixtures';
import { FixtureServer, waitFor } from './testUtils/fixtureServer';

jest.setTimeout(180_000);

const API = '/api/catalog-extensions';
const check = createOpenApiResponseChecker(loadOpenApiDocument(), { basePath: API });
const hasPostgres = Boolean(process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING);
const databases = TestDatabases.create({ ids: hasPostgres ? ['POSTGRES_15'] : ['SQLITE_3'] });
const as = (name: string) => mockCredentials.user.header(`user:default/${name}`);

/** A file at the default limits' edge: 499 documents, about 0.95 MB. */
const heavyFile = Array.from(
  { length: 499 },
  (_, i) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: heavy-${i}
  description: "${'d'.repeat(1750)}"
spec:
  type: service
  lifecycle: production
  owner: team-h
`,
).join('---\n');

describe('registrations and dry runs under load (default limits)', () => {
  const fixtureServer = new FixtureServer();
  let server: any;

  beforeAll(async () => {
    await fixtureServer.start();
    fixtureServer.set('/heavy.yaml', heavyFile);
    fixtureServer.set('/light.yaml', fixtures.singleComponent('svc-light'));
    const [[databaseId]] = databases.eachSupportedId();
    const knex = await databases.init(databaseId);
    ({ server } = await startTestBackend({
      features: [
        catalogExtensionsPlugin,
        catalogPlugin,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            backend: { reading: { allow: [{ host: fixtureServer.host }] } },
            catalog: { processingInterval: { seconds: 1 } },
          },
        }),
      ],
    }));
    // the heavy file must really be heavy, or the caps below would not be exercised
    if (heavyFile.length <= 900_000) throw new Error(`the heavy fixture is only ${heavyFile.length} bytes`);
  });

  afterAll(async () => {
    await fixtureServer.stop();
  });

  const dryRun = (who: string, path = '/heavy.yaml') =>
    request(server)
      .post(`${API}/locations?dryRun=true`)
      .set('Authorization', as(who))
      .send({ type: 'url', target: fixtureServer.url(path) })
      .expect(check)
      .then(res => res);

  it('caps heavy dry runs per caller (429) and in total (503) with Retry-After, while reads stay served', async () => {
    const registered = await request(server)
      .post(`${API}/locations`)
      .set('Authorization', as('reader'))
      .send({ type: 'url', target: fixtureServer.url('/light.yaml') });
    expect(registered.status).toBe(201);
    await waitFor(
      async () => {
        const res = await request(server).get(`${API}/entities?filter=metadata.name=svc-light`).set('Authorization', as('reader'));
        return res.body.length === 1 ? true : undefined;
      },
      60_000,
      'the light component',
    );

    // Two callers start heavy dry runs: the two slots of the default registrations.maxConcurrent.
    // Their target answers only when the test says so, so the others arrive while they run.
    let release = () => {};
    fixtureServer.set('/gated-heavy.yaml', heavyFile);
    fixtureServer.hold('/gated-heavy.yaml', new Promise<void>(resolve => { release = resolve; }));
    const running = [dryRun('alice', '/gated-heavy.yaml'), dryRun('bob', '/gated-heavy.yaml')];
    await new Promise(resolve => setTimeout(resolve, 500));
    const [again, ...others] = await Promise.all([dryRun('alice'), dryRun('carol'), dryRun('dave'), dryRun('erin'), dryRun('frank')]);
    expect(again.status).toBe(429);
    expect(again.body).toEqual({ error: expect.stringMatching(/^Too many registrations in progress for this caller \(at most 1 at a time\)/) });
    expect(Number(again.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    for (const res of others) {
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'Too many registrations in progress (at most 2 at a time); retry shortly' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }

    // Meanwhile, with both heavy files being parsed, validated and dry-run by the catalog,
    // another caller's reads answer in bounded time.
    release();
    await new Promise(resolve => setTimeout(resolve, 200));
    const latencies: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const entities = await request(server).get(`${API}/entities?filter=metadata.name=svc-light&fields=metadata.name`).set('Authorization', as('reader')).expect(check);
      const status = await request(server).get(`${API}/locations/${registered.body.locationId}`).set('Authorization', as('reader')).expect(check);
      latencies.push(Date.now() - started);
      expect(entities.status).toBe(200);
      expect(entities.body).toEqual([{ metadata: { name: 'svc-light' } }]);
      expect(status.status).toBe(200);
    }
    // Bounded: inside catalogTimeout (20 s) even with other suites loading this 2-core machine;
    // measured 2-3 s on a quiet one (see the README).
    expect(Math.max(...latencies)).toBeLessThan(20_000);

    const results = await Promise.all(running);
    expect(results.map(r => r.status)).toEqual([200, 200]);
    expect(results[0].body.entities).toHaveLength(499);

    // The slots are free again once the work is done.
    const after = await dryRun('carol', '/light.yaml');
    expect(after.status).toBe(200);
  });
});
