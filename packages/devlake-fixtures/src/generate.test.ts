import {
  createDevLakeSchema,
  generateDevLakeData,
  DevLakeFixture,
  createDemoDevLakeDatabase,
  DevLakeTestDatabases,
} from '.';

jest.setTimeout(60_000);

const databases = new DevLakeTestDatabases();
afterAll(() => databases.cleanup());

describe.each(databases.eachSupportedId())('devlake fixtures on %p', databaseId => {
  it('creates the schema and generates the same rows for the same seed', async () => {
    const { knex } = await databases.init(databaseId);
    await createDevLakeSchema(knex);
    const summary = await generateDevLakeData(knex, {
      seed: 3,
      projects: 3,
      teams: 2,
      days: 30,
      now: '2025-01-01T00:00:00Z',
      batchSize: 50,
    });
    expect(summary.projects).toEqual(['my-service', 'payments', 'checkout-service']);
    expect(summary.deployments).toBeGreaterThan(20);
    const [{ n }] = await knex('cicd_deployment_commits').count({ n: '*' });
    expect(Number(n)).toBe(summary.deploymentCommitRows);
    const distinct = await knex('cicd_deployment_commits').countDistinct({ n: 'cicd_deployment_id' });
    expect(Number(distinct[0].n)).toBe(summary.deployments);
    // Some deployments have several rows, some failed, some are not production.
    expect(summary.deploymentCommitRows).toBeGreaterThan(summary.deployments);
    const results = await knex('cicd_deployment_commits').distinct('result').orderBy('result');
    expect(results.map(r => r.result)).toEqual(['FAILURE', 'SUCCESS']);
    const envs = await knex('cicd_deployment_commits').distinct('environment');
    expect(envs.length).toBeGreaterThan(1);

    const first = await knex('cicd_deployment_commits').select('id', 'finished_date').orderBy('id').limit(5);
    expect(first).toHaveLength(5);
  });

  it('links each incident to the latest production deployment before it, as DevLake does', async () => {
    const { knex } = await databases.init(databaseId);
    await createDevLakeSchema(knex);
    await generateDevLakeData(knex, { seed: 5, projects: 2, days: 60, now: '2025-01-01T00:00:00Z' });
    const links = await knex('project_incident_deployment_relationships as pidr')
      .join('incidents as i', 'i.id', 'pidr.id')
      .select('pidr.id', 'pidr.project_name', 'pidr.deployment_id', 'i.created_date');
    expect(links.length).toBeGreaterThan(5);
    const at = (v: unknown) => Date.parse(`${String(v).replace(' ', 'T')}Z`);
    for (const link of links) {
      const latest = await knex('cicd_deployment_commits as cdc')
        .join('project_mapping as pm', function mapping() {
          this.on('pm.row_id', '=', 'cdc.cicd_scope_id').andOn('pm.table', '=', knex.raw('?', ['cicd_scopes']));
        })
        .where({ 'pm.project_name': link.project_name, 'cdc.result': 'SUCCESS', 'cdc.environment': 'PRODUCTION' })
        .groupBy('cdc.cicd_deployment_id')
        .select('cdc.cicd_deployment_id as id')
        .max('cdc.finished_date as finished');
      const before = latest.filter(d => at(d.finished) < at(link.created_date)).sort((a, b) => at(b.finished) - at(a.finished));
      expect({ incident: link.id, deployment: link.deployment_id }).toEqual({ incident: link.id, deployment: before[0].id });
    }
  }, 60_000);

  it('writes the edge profile: rows across days, day-edge instants, NULL lead times, two-project incidents', async () => {
    const { knex } = await databases.init(databaseId);
    await createDevLakeSchema(knex);
    await generateDevLakeData(knex, { seed: 7, projects: 2, days: 60, now: '2025-01-01T00:00:00Z', profile: 'edge' });
    const spans = await knex('cicd_deployment_commits')
      .groupBy('cicd_deployment_id')
      .select('cicd_deployment_id')
      .min('finished_date as first')
      .max('finished_date as last');
    const at = (v: unknown) => Date.parse(`${String(v).replace(' ', 'T')}Z`);
    expect(spans.some(s => String(s.first).slice(0, 10) !== String(s.last).slice(0, 10))).toBe(true);
    const times = (await knex('cicd_deployment_commits').select('finished_date')).map(r => String(r.finished_date));
    expect(times.some(t => t.endsWith('23:59:59.500'))).toBe(true);
    expect(times.some(t => /00:00:00(\.000)?$/.test(t))).toBe(true);
    expect(spans.some(s => at(s.last) - at(s.first) > 24 * 60 * 60 * 1000)).toBe(true);
    const nullLead = await knex('incidents').whereNotNull('resolution_date').whereNull('lead_time_minutes');
    expect(nullLead.length).toBeGreaterThan(0);
    const twice = await knex('project_incident_deployment_relationships').groupBy('id').select('id').havingRaw('count(*) > 1');
    expect(twice.length).toBeGreaterThan(0);

    const { knex: empty } = await databases.init(databaseId);
    await createDevLakeSchema(empty);
    const summary = await generateDevLakeData(empty, { seed: 7, days: 30, now: '2025-01-01T00:00:00Z', profile: 'edge', incidents: false });
    expect(summary.deployments).toBeGreaterThan(10);
    expect(Number((await empty('incidents').count({ n: '*' }))[0].n)).toBe(0);
  }, 60_000);

  it('stores commit messages as binary and round-trips UTF-8', async () => {
    const { knex } = await databases.init(databaseId);
    await createDevLakeSchema(knex);
    const fx = new DevLakeFixture();
    fx.project('alpha');
    fx.deploymentCommit({ project: 'alpha', deploymentId: 'd1', sha: 'abc', finished: '2025-01-01T00:00:00Z', message: 'fix: café ✓' });
    await fx.write(knex);
    const [row] = await knex('commits').select('message');
    expect(Buffer.isBuffer(row.message)).toBe(true);
    expect(Buffer.from(row.message).toString('utf8')).toBe('fix: café ✓');
    // Case-sensitive comparisons, as with DevLake's utf8mb4_bin.
    const lower = await knex('cicd_deployment_commits').where('environment', 'production');
    expect(lower).toHaveLength(0);
  });
});

(DevLakeTestDatabases.hasMySql() ? describe : describe.skip)('DevLake column types on MySQL', () => {
  it('uses utf8mb4_bin, datetime(3) and a binary commit message', async () => {
    const { knex } = await databases.init('MYSQL_8');
    await createDevLakeSchema(knex);
    const [[create]] = await knex.raw('SHOW CREATE TABLE commits');
    expect(create['Create Table']).toMatch(/`message` longblob|`message` longtext CHARACTER SET binary/i);
    expect(create['Create Table']).toMatch(/utf8mb4_bin/);
    const [[cdc]] = await knex.raw('SHOW CREATE TABLE cicd_deployment_commits');
    expect(cdc['Create Table']).toMatch(/`finished_date` datetime\(3\)/);
  });
});

describe('generateDevLakeData', () => {
  it('is deterministic for a seed', async () => {
    const run = async () => {
      const demo = await createDemoDevLakeDatabase({ now: '2025-06-01T00:00:00Z', seed: 11 });
      const rows = await demo.knex('cicd_deployment_commits').select('id', 'finished_date', 'result').orderBy('id');
      await demo.knex.destroy();
      return { summary: demo.summary, rows };
    };
    const a = await run();
    const b = await run();
    expect(a.summary.deployments).toBeGreaterThan(300);
    expect(b).toEqual(a);
  });
});
