import { mockCredentials } from '@backstage/backend-test-utils';
import { createDevLakeSchema, DevLakeTestDatabases, DevLakeTestDatabase } from '@fawkes/devlake-fixtures';
import { randomBytes } from 'node:crypto';
import { api } from './__testUtils__/api';
import { startDevLakeBackend } from './__testUtils__/backend';
import { buildDoraFixture, currentPeriod } from './__testUtils__/doraFixture';

jest.setTimeout(60_000);

const databases = new DevLakeTestDatabases();
afterAll(() => databases.cleanup());

const auth = { Authorization: mockCredentials.user.header('user:default/alice') };

/** A SELECT-only account on the test database (MySQL) or the file opened read-only (SQLite). */
async function readOnlyConnection(db: DevLakeTestDatabase) {
  if (db.id !== 'MYSQL_8') {
    return { database: { client: 'better-sqlite3', connection: db.connection }, dropUser: async () => {} };
  }
  const user = `devlake_ro_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const database = String(db.connection.database);
  for (const host of ['%', 'localhost', '127.0.0.1']) {
    await db.knex.raw('CREATE USER ?@? IDENTIFIED BY ?', [user, host, password]);
    await db.knex.raw('GRANT SELECT ON ??.* TO ?@?', [database, user, host]);
  }
  const dropUser = async () => {
    for (const host of ['%', 'localhost', '127.0.0.1']) {
      await db.knex.raw('DROP USER IF EXISTS ?@?', [user, host]);
    }
  };
  const { host, port } = db.connection as { host: string; port: number };
  return { database: { client: 'mysql2', connection: { host, port, user, password, database } }, dropUser };
}

describe.each(databases.eachSupportedId())('devlake plugin on %s', databaseId => {
  let server: any;
  let db: DevLakeTestDatabase;
  let dropUser = async () => {};
  afterAll(() => dropUser());

  beforeAll(async () => {
    db = await databases.init(databaseId);
    await createDevLakeSchema(db.knex);
    await buildDoraFixture().write(db.knex);
    const readOnly = await readOnlyConnection(db);
    dropUser = readOnly.dropUser;
    ({ server } = await startDevLakeBackend({ database: readOnly.database }));
  });

  const metrics = (query: Record<string, string>) =>
    api(server)
      .get('/api/devlake/dora-metrics')
      .query({ ...currentPeriod, ...query })
      .set(auth);

  describe('GET /dora-metrics', () => {
    it('computes every metric for a project (2023 report, the default)', async () => {
      const res = await metrics({ project: 'alpha' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        project: 'alpha',
        team: null,
        period: { startDate: '2024-03-04', endDate: '2024-03-17' },
        metrics: {
          // Grafana's window is 03-04 00:00:00 – 03-17 23:59:59, both ends inclusive, so d4
          // (23:59:59.999) is out; d11 counts in both periods (a row in each, "any row" rule):
          // d1, d2, d3, d11 now, p1, p2, p3, d11 before (d10 at 03-03 23:59:59.999 is in neither).
          // Deployment days by UTC calendar day of each deployment's latest row, no instant
          // filter: 03-04, 03-05 | 03-11, 03-17 (d4's day) → weekly median 2 → high.
          deploymentFrequency: {
            value: 2,
            unit: 'deploys/week',
            trend: 'stable',
            performance: 'high',
            reason: null,
            deploymentDays: { value: 2, per: 'week' },
          },
          // Cycle times [120, 240, 600] minutes (pr3 shipped by d4: out) → lower median 240;
          // previously only pr9, shipped by d10 (out) → no previous value.
          leadTimeForChanges: { value: 4, unit: 'hours', trend: null, performance: 'elite', reason: null },
          // d3 of 4 deployments has incidents → 25 %; previous p1 of 4 = 25 %.
          changeFailureRate: { value: 25, unit: 'percent', trend: 'stable', performance: 'low', reason: null },
          // Recovery from d3: 210 and 1440 minutes → 210; previous 30.
          timeToRestoreService: { value: 3.5, unit: 'hours', trend: 'increasing', performance: 'high', reason: null },
        },
      });
    });

    it('uses the 2021 report when asked', async () => {
      const res = await metrics({ project: 'alpha', benchmark: '2021' });
      expect(res.status).toBe(200);
      expect(res.body.metrics).toEqual({
        // Monthly median: March's calendar days hold 4 deployment days → high (2021).
        deploymentFrequency: {
          value: 2,
          unit: 'deploys/week',
          trend: 'stable',
          performance: 'high',
          reason: null,
          deploymentDays: { value: 4, per: 'month' },
        },
        leadTimeForChanges: { value: 4, unit: 'hours', trend: null, performance: 'high', reason: null },
        // 25 % is 2021 "medium" (<= 0.30).
        changeFailureRate: { value: 25, unit: 'percent', trend: 'stable', performance: 'medium', reason: null },
        // lead_time_minutes of incidents resolved in the period: [45, 60, 150] → 60, exactly
        // the "elite" edge (< 60 fails) → high; previous [30].
        timeToRestoreService: { value: 1, unit: 'hours', trend: 'increasing', performance: 'high', reason: null },
      });
    });

    it('returns nulls, not an error, when a project has no data', async () => {
      const res = await metrics({ project: 'gamma' });
      expect(res.status).toBe(200);
      for (const metric of Object.values(res.body.metrics) as any[]) {
        expect(metric).toMatchObject({ value: null, trend: null, performance: null });
      }
    });

    it('keeps a trend stable at exactly +10 %', async () => {
      const res = await metrics({ project: 'delta' });
      expect(res.body.metrics.deploymentFrequency).toEqual({
        value: 5.5,
        unit: 'deploys/week',
        trend: 'stable',
        // weeks of 7 and 4 deployment days → lower median 4 → high, not elite.
        performance: 'high',
        reason: null,
        deploymentDays: { value: 4, per: 'week' },
      });
    });

    it('counts a one-deployment project as medium (2023) and high (2021)', async () => {
      const res2023 = await metrics({ project: 'beta' });
      expect(res2023.body.metrics.deploymentFrequency).toEqual({
        value: 0.5,
        unit: 'deploys/week',
        trend: null,
        performance: 'medium',
        reason: null,
        deploymentDays: { value: 1, per: 'month' },
      });
      expect(res2023.body.metrics.changeFailureRate).toEqual({
        value: 0,
        unit: 'percent',
        trend: null,
        performance: 'elite',
        reason: null,
      });
      const res2021 = await metrics({ project: 'beta', benchmark: '2021' });
      expect(res2021.body.metrics.deploymentFrequency.performance).toBe('high');
    });

    it('resolves a catalog entity through its annotation, and a plain name as itself', async () => {
      const viaAnnotation = await metrics({ project: 'shop-frontend' });
      const direct = await metrics({ project: 'alpha' });
      expect(viaAnnotation.status).toBe(200);
      expect(viaAnnotation.body.project).toBe('shop-frontend');
      expect(viaAnnotation.body.metrics).toEqual(direct.body.metrics);
      const system = await metrics({ project: 'payments' });
      expect(system.body.metrics.deploymentFrequency.value).toBe(5.5);
      const fullRef = await metrics({ project: 'system:default/payments' });
      expect(fullRef.body.metrics.deploymentFrequency.value).toBe(5.5);
      // A ref to an entity that does not exist is not a DevLake project either.
      expect((await metrics({ project: 'component:default/payments' })).status).toBe(404);
      const entityWithoutAnnotation = await metrics({ project: 'beta' });
      expect(entityWithoutAnnotation.body.metrics.deploymentFrequency.value).toBe(0.5);
    });

    it('scopes by team, by team and project, and by neither', async () => {
      const team = await metrics({ team: 'Platform' });
      expect(team.status).toBe(200);
      expect(team.body.project).toBeNull();
      expect(team.body.team).toBe('Platform');
      // d1 (alice's row), d3 and beta's b1.
      expect(team.body.metrics.deploymentFrequency.value).toBe(1.5);
      // PRs authored by alice: pr2 (600 minutes).
      expect(team.body.metrics.leadTimeForChanges.value).toBe(10);

      const both = await metrics({ team: 'Platform', project: 'alpha' });
      expect(both.body.metrics.deploymentFrequency.value).toBe(1);
      expect(both.body.metrics.changeFailureRate.value).toBe(50);
      const both2021 = await metrics({ team: 'Platform', project: 'alpha', benchmark: '2021' });
      // Incidents assigned to alice: i1 (150 minutes).
      expect(both2021.body.metrics.timeToRestoreService.value).toBe(2.5);

      const all = await metrics({});
      // alpha 4 + beta 1 + delta 11 deployments.
      expect(all.body.metrics.deploymentFrequency.value).toBe(8);
      expect(all.body.project).toBeNull();
    });

    it('answers 404 for unknown projects and teams (case-sensitive)', async () => {
      for (const query of [{ project: 'nope' }, { project: 'Alpha' }, { team: 'platform' }] as Record<string, string>[]) {
        const res = await metrics(query);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ error: expect.stringMatching(/not found/) });
      }
    });

    it.each([
      [{ startDate: 'yesterday' }],
      [{ startDate: '2024-02-30' }],
      [{ endDate: '2024-13-01' }],
      [{ startDate: '2024-03-18', endDate: '2024-03-17' }],
      [{ benchmark: '2022' }],
    ])('answers 400 for %p', async query => {
      const res = await metrics(query);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual(expect.any(String));
    });
  });

  describe('GET /dora-metrics/series', () => {
    const series = (query: Record<string, string>) =>
      api(server).get('/api/devlake/dora-metrics/series').query(query).set(auth);
    const bucket = (
      start: string,
      end: string,
      deployments: number,
      deploymentDays: number,
      leadTimeForChanges: number | null,
      changeFailureRate: number | null,
      timeToRestoreService: number | null,
    ) => ({ start, end, deployments, deploymentDays, leadTimeForChanges, changeFailureRate, timeToRestoreService });

    it('computes weekly buckets like the dashboard charts', async () => {
      const res = await series({ project: 'alpha', startDate: '2024-02-19', endDate: '2024-03-17', interval: 'week' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        project: 'alpha',
        team: null,
        period: { startDate: '2024-02-19', endDate: '2024-03-17' },
        interval: 'week',
        benchmark: '2023',
        buckets: [
          // p3, p1; i5 of p1 resolved 30 minutes after it.
          bucket('2024-02-19', '2024-02-25', 2, 2, null, 50, 0.5),
          // p2 and d10 (03-03 23:59:59.999 is inside the window's end, 03-17 23:59:59); pr9 via d10.
          bucket('2024-02-26', '2024-03-03', 2, 2, 5, 0, null),
          // d11 (latest row 03-04), d1, d2; pr1 120 and pr4 240 → lower median 120.
          bucket('2024-03-04', '2024-03-10', 3, 2, 2, 0, null),
          // d3 (d4 at 23:59:59.999 is past the window, but its day counts); i1 210, i2 1440 → 210.
          bucket('2024-03-11', '2024-03-17', 1, 2, 10, 100, 3.5),
        ],
      });
    });

    it('computes monthly buckets (the default interval), with DECIMAL change failure rates', async () => {
      const res = await series({ project: 'alpha', startDate: '2024-02-19', endDate: '2024-03-17' });
      expect(res.status).toBe(200);
      expect(res.body.interval).toBe('month');
      expect(res.body.buckets).toEqual([
        // 1 of 3 → 0.3333 → 33.33 %.
        bucket('2024-02-01', '2024-02-29', 3, 3, null, 33.33, 0.5),
        // d10, d11, d1, d2, d3; [120, 240, 300, 600] → 240 minutes.
        bucket('2024-03-01', '2024-03-31', 5, 5, 4, 20, 3.5),
      ]);
    });

    it('applies the same scoping and errors as /dora-metrics', async () => {
      const viaAnnotation = await series({ project: 'shop-frontend', startDate: '2024-03-01', endDate: '2024-03-17' });
      const direct = await series({ project: 'alpha', startDate: '2024-03-01', endDate: '2024-03-17' });
      expect(viaAnnotation.body.buckets).toEqual(direct.body.buckets);
      expect((await series({ project: 'nope' })).status).toBe(404);
      expect((await series({ team: 'nobody' })).status).toBe(404);
      const team = await series({ team: 'Platform', startDate: '2024-03-04', endDate: '2024-03-17', interval: 'week' });
      expect(team.body.buckets.map((b: any) => b.deployments)).toEqual([2, 1]);
      const badQueries: Array<Record<string, string>> = [
        { interval: 'day' },
        { startDate: '2020-01-01', endDate: '2024-01-01', interval: 'week' },
        { startDate: '2024-03-18', endDate: '2024-03-17' },
        { benchmark: '2022' },
      ];
      for (const query of badQueries) {
        const res = await series(query);
        expect(res.status).toBe(400);
        expect(res.body.error).toEqual(expect.any(String));
      }
      expect((await series({ startDate: '2020-01-01', endDate: '2024-01-01', interval: 'week' })).body.error).toBe(
        'the period must span at most 156 weeks',
      );
    });
  });

  describe('GET /deployment-history', () => {
    const history = (query: Record<string, string>) =>
      api(server).get('/api/devlake/deployment-history').query(query).set(auth);

    it('lists deployments newest first, one per deployment id, with the total', async () => {
      const res = await history({ service: 'alpha' });
      expect(res.status).toBe(200);
      expect(res.body.service).toBe('alpha');
      expect(res.body.total).toBe(15);
      expect(res.body.deployments.map((d: any) => d.id)).toEqual([
        'd9', 'd4', 'd3', 'd12', 'd8', 'd7', 'd6', 'd5', 'd2', 'd1', 'd11', 'd10', 'p2', 'p1', 'p3',
      ]);
      expect(res.body.deployments.find((d: any) => d.id === 'd1')).toEqual({
        id: 'd1',
        // No cicd_deployments row: the row's own name.
        title: 'deploy d1',
        url: null,
        version: 'v1.2.3',
        environment: 'prod',
        status: 'SUCCESS',
        startTime: '2024-03-05T08:55:00Z',
        endTime: '2024-03-05T09:00:00Z',
        duration: 300,
        triggeredBy: null,
        commit: { sha: 'sha-d1b', message: 'fix: café ✓', author: 'alice@example.com' },
      });
      expect(res.body.deployments.find((d: any) => d.id === 'd5').status).toBe('FAILURE');
      expect(res.body.deployments.find((d: any) => d.id === 'd12').environment).toBe('dev');
    });

    it('filters by environment and pages with limit', async () => {
      const prod = await history({ service: 'shop-frontend', environment: 'prod', limit: '2' });
      expect(prod.status).toBe(200);
      expect(prod.body.service).toBe('shop-frontend');
      expect(prod.body.total).toBe(12);
      expect(prod.body.deployments.map((d: any) => d.id)).toEqual(['d9', 'd4']);
      const staging = await history({ service: 'alpha', environment: 'staging' });
      expect(staging.body.deployments.map((d: any) => d.id)).toEqual(['d6']);
      const dev = await history({ service: 'alpha', environment: 'dev' });
      expect(dev.body).toMatchObject({ total: 1, deployments: [{ id: 'd12', environment: 'dev' }] });
    });

    it('answers 404 for an unknown service', async () => {
      const res = await history({ service: 'nope' });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: "Service 'nope' not found in DevLake" });
    });

    it.each([
      [{}],
      [{ service: '' }],
      [{ service: 'alpha', limit: '0' }],
      [{ service: 'alpha', limit: '101' }],
      [{ service: 'alpha', limit: 'abc' }],
      [{ service: 'alpha', limit: '1.5' }],
      [{ service: 'alpha', environment: 'production' }],
    ])('answers 400 for %p', async query => {
      const res = await history(query);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: expect.any(String), details: expect.any(Array) });
    });
  });

  describe('authentication', () => {
    it.each(['/dora-metrics?project=alpha', '/deployment-history?service=alpha'])(
      'rejects missing and invalid tokens on %s',
      async path => {
        const none = await api(server).get(`/api/devlake${path}`).set('Authorization', mockCredentials.none.header());
        expect(none.status).toBe(401);
        expect(none.body).toEqual({ error: expect.any(String) });
        const invalid = await api(server).get(`/api/devlake${path}`).set('Authorization', mockCredentials.user.invalidHeader());
        expect(invalid.status).toBe(401);
        expect(invalid.body).toEqual({ error: expect.any(String) });
        const service = await api(server).get(`/api/devlake${path}`).set('Authorization', mockCredentials.service.header());
        expect(service.status).toBe(200);
      },
    );
  });
});
