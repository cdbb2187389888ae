import { mockCredentials } from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Knex } from 'knex';
import { createDevLakeSchema, DevLakeFixture, DevLakeTestDatabases, splitSqlStatements } from '@fawkes/devlake-fixtures';
import { api } from './__testUtils__/api';
import { startDevLakeBackend } from './__testUtils__/backend';

jest.setTimeout(60_000);

const databases = new DevLakeTestDatabases();
afterAll(() => databases.cleanup());

const auth = { Authorization: mockCredentials.user.header('user:default/alice') };

/**
 * Edges the repository's queries must keep while they are tuned for large DevLake databases:
 * a deployment counts when any of its rows is in range and is dated by its latest row, even
 * when older rows fall before the requested range,
 * and a PR counts when its deployment-commit belongs to another project's CI/CD scope.
 */
/** Statements of sql/recommended-indexes.sql, the file shipped to DBAs. */
function recommendedIndexStatements(): string[] {
  return splitSqlStatements(readFileSync(join(__dirname, '../sql/recommended-indexes.sql'), 'utf8'));
}

async function writeEdgeFixture(knex: Knex) {
  const fx = new DevLakeFixture();
  fx.project('alpha');
  fx.project('other');
  // Window 2024-03-04..2024-03-17; with the trend period the queries start at 2024-02-19.
  // d1's rows straddle that start: it is a deployment of the previous period.
  fx.deploymentCommit({ project: 'alpha', deploymentId: 'd1', finished: '2024-02-18T23:00:00Z' });
  fx.deploymentCommit({ project: 'alpha', deploymentId: 'd1', finished: '2024-02-19T01:00:00Z' });
  // d2's rows straddle the window's start: it is a deployment of the window.
  fx.deploymentCommit({ project: 'alpha', deploymentId: 'd2', finished: '2024-03-03T23:00:00Z' });
  fx.deploymentCommit({ project: 'alpha', deploymentId: 'd2', finished: '2024-03-04T01:00:00Z' });
  // d3 has a row in the window and its latest past the end: Grafana runs the dashboard's
  // HAVING $__timeFilter(max(finished_date)) as HAVING max(finished_date BETWEEN …), so any
  // row in range makes it a deployment of the window.
  fx.deploymentCommit({ project: 'alpha', deploymentId: 'd3', finished: '2024-03-17T23:00:00Z' });
  fx.deploymentCommit({ project: 'alpha', deploymentId: 'd3', finished: '2024-03-18T01:00:00Z' });
  // Entirely before the queried range.
  fx.deploymentCommit({ project: 'alpha', deploymentId: 'd0', finished: '2024-01-10T10:00:00Z' });
  const elsewhere = fx.deploymentCommit({
    project: 'other',
    deploymentId: 'o1',
    finished: '2024-03-10T10:00:00Z',
  });
  fx.pullRequest({ project: 'alpha', id: 'pr1', cycleMinutes: 180, deploymentCommitId: elsewhere });
  fx.incident({
    project: 'alpha',
    id: 'i1',
    deploymentId: 'd2',
    created: '2024-03-05T00:00:00Z',
    resolved: '2024-03-05T02:00:00Z',
    leadTimeMinutes: 60,
  });
  await fx.write(knex);
}

/** What the edges above must give for alpha, 2024-03-04..2024-03-17. */
const edgeMetrics = {
  // Window: d2 and d3 (2 deployments in 2 weeks). The previous period's level is N/A (its
  // deployment days: one in Feb, none in its two weeks of March, and a single six-month
  // sample), so it has no value and there is no trend.
  deploymentFrequency: { value: 1, trend: null },
  // pr1 shipped by another project's deployment-commit inside the window.
  leadTimeForChanges: { value: 3 },
  // i1 is attributed to d2: 1 of 2 deployments failed; recovered 25 h after d2's latest row.
  changeFailureRate: { value: 50 },
  timeToRestoreService: { value: 25 },
};

async function alphaMetrics(database: { client: string; connection: unknown }) {
  const { server } = await startDevLakeBackend({ database: database as any });
  const res = await api(server)
    .get('/api/devlake/dora-metrics')
    .query({ project: 'alpha', startDate: '2024-03-04', endDate: '2024-03-17' })
    .set(auth);
  return { status: res.status, metrics: res.body.metrics };
}

describe.each(databases.eachSupportedId())('query edges on %s', databaseId => {
  it('dates a deployment by its latest row and follows PRs into any CI/CD scope', async () => {
    const db = await databases.init(databaseId);
    await createDevLakeSchema(db.knex);
    await writeEdgeFixture(db.knex);
    expect(await alphaMetrics(db)).toMatchObject({ status: 200, metrics: edgeMetrics });
  });
});

// The recommended indexes are MySQL DDL for large DevLake databases; SQLite is only the demo's.
const describeOnMySql = DevLakeTestDatabases.hasMySql() ? describe.each(['MYSQL_8' as const]) : describe.skip.each(['MYSQL_8' as const]);
describeOnMySql('query edges with the recommended indexes on %s', databaseId => {
  it('applies sql/recommended-indexes.sql to DevLake\'s schema and gives the same answers', async () => {
    const db = await databases.init(databaseId);
    await createDevLakeSchema(db.knex);
    await writeEdgeFixture(db.knex);
    const statements = recommendedIndexStatements();
    expect(statements).toHaveLength(3);
    for (const statement of statements) await db.knex.raw(statement);
    const [indexes] = await db.knex.raw(
      "SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = database() AND index_name LIKE 'fawkes\\_%'",
    );
    expect((indexes as Array<{ name: string }>).map(i => i.name).sort()).toEqual([
      'fawkes_cdc_finished',
      'fawkes_cdc_scope_finished',
      'fawkes_ppm_deployment_commit',
    ]);
    expect(await alphaMetrics(db)).toMatchObject({ status: 200, metrics: edgeMetrics });
  });
});
