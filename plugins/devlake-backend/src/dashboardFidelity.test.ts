import { mockCredentials } from '@backstage/backend-test-utils';
import { createDevLakeSchema, DevLakeFixture, DevLakeTestDatabases } from '@fawkes/devlake-fixtures';
import { api } from './__testUtils__/api';
import { startDevLakeBackend } from './__testUtils__/backend';

/**
 * One test per edge where the plugin must agree with DevLake's DORA dashboard as Grafana runs
 * its SQL (issue 14, items 1–9), on MariaDB/MySQL and SQLite. Each fixture is the smallest
 * DevLake data showing the edge; the comments give the dashboard's arithmetic.
 */
jest.setTimeout(60_000);

const databases = new DevLakeTestDatabases();
afterAll(() => databases.cleanup());

const auth = { Authorization: mockCredentials.user.header('user:default/alice') };

describe.each(databases.eachSupportedId())('agreement with the DORA dashboard on %s', databaseId => {
  async function serve(build: (fx: DevLakeFixture) => void) {
    const db = await databases.init(databaseId);
    await createDevLakeSchema(db.knex);
    const fx = new DevLakeFixture();
    fx.project('alpha').project('beta');
    build(fx);
    await fx.write(db.knex);
    const { server } = await startDevLakeBackend({ database: { client: db.client, connection: db.connection } });
    return async (query: Record<string, string>) => {
      const res = await api(server).get('/api/devlake/dora-metrics').query({ project: 'alpha', ...query }).set(auth);
      expect(res.status).toBe(200);
      return res.body.metrics;
    };
  }
  const deploy = (fx: DevLakeFixture, id: string, finished: string, project = 'alpha') =>
    fx.deploymentCommit({ project, deploymentId: id, finished });

  it('1. answers N/A with a reason where the dashboard has no level (one six-month sample)', async () => {
    const metrics = await serve(fx => {
      deploy(fx, 'd1', '2024-03-25T12:00:00Z');
      fx.incident({ project: 'beta', id: 'elsewhere', created: '2024-01-01T00:00:00Z' });
    });
    // 03-20..04-10: deployment days per week [0, 1, 0, 0] and per month [1 (Mar), 0 (Apr)] →
    // medians 0; the six-month rolling sums are sampled once (April) → is_collected NULL → N/A.
    const m = await metrics({ startDate: '2024-03-20', endDate: '2024-04-10' });
    expect(m.deploymentFrequency).toMatchObject({ value: null, performance: null, reason: 'insufficient-data' });
    expect(m.deploymentFrequency.deploymentDays).toEqual({ value: null, per: 'month' });
    expect(m.leadTimeForChanges).toMatchObject({ value: null, performance: null, reason: 'no-pull-requests' });
    expect(m.timeToRestoreService).toMatchObject({ value: null, performance: null, reason: 'no-incidents' });
  });

  it('2. says N/A, not 0 % elite, when no incidents are collected at all', async () => {
    const metrics = await serve(fx => {
      deploy(fx, 'd1', '2024-03-05T12:00:00Z');
      deploy(fx, 'd2', '2024-03-06T12:00:00Z');
    });
    const m = await metrics({ startDate: '2024-03-04', endDate: '2024-03-17' });
    expect(m.changeFailureRate).toMatchObject({ value: null, performance: null, reason: 'no-incidents-collected' });
    expect(m.timeToRestoreService).toMatchObject({ value: null, performance: null, reason: 'no-incidents-collected' });
    expect(m.deploymentFrequency.value).toBe(1);
  });

  it('3. counts deployment days by UTC calendar day, even past the instant a +02:00 window ends', async () => {
    const metrics = await serve(fx => {
      for (const day of ['04', '05', '06', '07', '08', '11', '12', '13', '14']) deploy(fx, `d${day}`, `2024-03-${day}T12:00:00Z`);
      // 22:30 UTC is after the window's end (21:59:59 UTC), but 03-17 is a calendar day of it.
      deploy(fx, 'late', '2024-03-17T22:30:00Z');
    });
    const m = await metrics({ startDate: '2024-03-04T00:00:00+02:00', endDate: '2024-03-17T23:59:59+02:00' });
    // Weeks of 5 and 5 deployment days → 5 → elite (filtering by instant first gives 4 → high).
    expect(m.deploymentFrequency).toMatchObject({ performance: 'elite', deploymentDays: { value: 5, per: 'week' } });
  });

  it('4. forms six-month samples per DATE_FORMAT(month, "%Y-%m") DIV 6 partition (2027 | 2028)', async () => {
    const metrics = await serve(fx => {
      deploy(fx, 'd1', '2027-11-10T12:00:00Z');
      deploy(fx, 'd2', '2027-12-10T12:00:00Z');
    });
    // Months 2027-09..2028-04. Partition 337 (2027) is sampled at 2027-12 (sum 09..12 = 2),
    // partition 338 (2028) at 2028-04 (sum 2027-11..2028-04 = 2): tied samples → no median ≥
    // rank 0.5 → N/A. One partition would sample 2027-10 (0) and 2028-04 (2) → "medium".
    const m = await metrics({ startDate: '2027-09-01', endDate: '2028-04-30', benchmark: '2021' });
    expect(m.deploymentFrequency).toMatchObject({ value: null, performance: null, reason: 'insufficient-data' });
  });

  it('5. counts a deployment in every window one of its rows is in (HAVING max(x BETWEEN …))', async () => {
    const metrics = await serve(fx => {
      deploy(fx, 'edge', '2024-03-17T20:00:00Z');
      deploy(fx, 'edge', '2024-03-18T02:00:00Z');
      deploy(fx, 'other', '2024-03-10T12:00:00Z');
      fx.incident({ project: 'alpha', id: 'i1', deploymentId: 'edge', created: '2024-03-18T03:00:00Z' });
    });
    // First window: 'other' and 'edge' (a row on 03-17) → 2 deployments, 'edge' failed.
    const first = await metrics({ startDate: '2024-03-04', endDate: '2024-03-17' });
    expect(first.deploymentFrequency.value).toBe(1);
    expect(first.changeFailureRate.value).toBe(50);
    // Second window: 'edge' again (its latest row, 03-18).
    const second = await metrics({ startDate: '2024-03-18', endDate: '2024-03-31' });
    expect(second.changeFailureRate.value).toBe(100);
  });

  it('6. ends the window at the whole second 23:59:59 of endDate, inclusive', async () => {
    const metrics = await serve(fx => {
      deploy(fx, 'in', '2024-03-17T23:59:59.000Z');
      deploy(fx, 'out', '2024-03-17T23:59:59.500Z');
      deploy(fx, 'first', '2024-03-04T00:00:00.000Z');
    });
    const m = await metrics({ startDate: '2024-03-04', endDate: '2024-03-17' });
    expect(m.deploymentFrequency.value).toBe(1); // 'first' and 'in'
    const instant = await metrics({ startDate: '2024-03-04T00:00:00.999Z', endDate: '2024-03-17T23:59:59.999Z' });
    expect(instant.deploymentFrequency.value).toBe(1); // both ends taken to the whole second
  });

  it('7. rounds the change failure rate through a 4-decimal DECIMAL, then to 1 decimal', async () => {
    const metrics = await serve(fx => {
      for (let i = 0; i < 69; i++) {
        deploy(fx, `d${i}`, `2024-03-${String(4 + (i % 14)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`);
        if (i < 5) fx.incident({ project: 'alpha', id: `i${i}`, deploymentId: `d${i}`, created: '2024-03-20T00:00:00Z' });
      }
    });
    // 5 / 69 = 0.0725 (DECIMAL) → ROUND(7.25, 1) = 7.3, not 7.2 from the exact 7.246…
    const m = await metrics({ startDate: '2024-03-04', endDate: '2024-03-17' });
    expect(m.changeFailureRate).toMatchObject({ value: 7.3, performance: 'high' });
  });

  it('7b. classifies 51 of 1019 (0.0500 as a DECIMAL) as elite', async () => {
    const metrics = await serve(fx => {
      for (let i = 0; i < 1019; i++) {
        deploy(fx, `d${i}`, new Date(Date.UTC(2024, 2, 4) + i * 60_000).toISOString());
        if (i < 51) fx.incident({ project: 'alpha', id: `i${i}`, deploymentId: `d${i}`, created: '2024-03-20T00:00:00Z' });
      }
    });
    const m = await metrics({ startDate: '2024-03-04', endDate: '2024-03-17' });
    expect(m.changeFailureRate).toMatchObject({ value: 5, performance: 'elite' });
  });

  it('8. keeps resolved incidents with a NULL lead time in the 2021 ranking', async () => {
    const metrics = await serve(fx => {
      const leads = [null, 30, 90, 120];
      leads.forEach((lead, i) =>
        fx.incident({
          project: 'alpha',
          id: `i${i}`,
          created: '2024-03-05T00:00:00Z',
          resolved: `2024-03-0${6 + i}T00:00:00Z`,
          leadTimeMinutes: lead,
        }),
      );
    });
    // Ranks: NULL 0, 30 ⅓, 90 ⅔, 120 1 → max(value) where rank ≤ 0.5 = 30 (without the NULL: 90).
    const m = await metrics({ startDate: '2024-03-04', endDate: '2024-03-17', benchmark: '2021' });
    expect(m.timeToRestoreService).toMatchObject({ value: 0.5, performance: 'elite' });
  });

  it('8b. answers N/A when only NULL lead times rank at or below 0.5', async () => {
    const metrics = await serve(fx => {
      [null, null, 30, 90].forEach((lead, i) =>
        fx.incident({ project: 'alpha', id: `i${i}`, created: '2024-03-05T00:00:00Z', resolved: '2024-03-06T00:00:00Z', leadTimeMinutes: lead }),
      );
    });
    const m = await metrics({ startDate: '2024-03-04', endDate: '2024-03-17', benchmark: '2021' });
    expect(m.timeToRestoreService).toMatchObject({ value: null, performance: null, reason: 'insufficient-data' });
  });

  it('9. counts an incident once per relationship row (linked to several projects) in the 2023 recovery time', async () => {
    const metrics = await serve(fx => {
      deploy(fx, 'd1', '2024-03-05T00:00:00Z');
      const incident = (id: string, resolved: string, alsoLinkedFor?: string[]) =>
        fx.incident({ project: 'alpha', id, deploymentId: 'd1', created: '2024-03-05T00:05:00Z', resolved, alsoLinkedFor });
      incident('i1', '2024-03-05T00:10:00Z', ['beta']);
      incident('i2', '2024-03-05T01:40:00Z');
      incident('i3', '2024-03-05T03:20:00Z');
    });
    // Rows [10, 10, 100, 200] minutes → 10 (de-duplicated [10, 100, 200] → 100).
    const m = await metrics({ startDate: '2024-03-04', endDate: '2024-03-17' });
    expect(m.timeToRestoreService).toMatchObject({ value: 0.2, performance: 'elite' });
    expect(m.changeFailureRate.value).toBe(100);
  });
});
