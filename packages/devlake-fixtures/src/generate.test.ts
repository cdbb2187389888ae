import {
  createDevLakeSchema,
  generateDevLakeData,
  DevLakeFixture,
  createDemoDevLakeDatabase,
  DevLakeTestDatabases,
} from '.';

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
