import {
  createDevLakeSchema,
  DEVLAKE_TABLES,
  generateDevLakeData,
  GenerateDevLakeDataOptions,
  GeneratedDevLakeSummary,
} from '@fawkes/devlake-fixtures';
import knexFactory, { Knex } from 'knex';

export interface MySqlServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface BenchDatabase {
  name: string;
  /** knex `connection` for the bench database (mysql2). */
  connection: Record<string, unknown>;
  summary: GeneratedDevLakeSummary;
  /** False when an existing database with the same marker was reused. */
  generated: boolean;
  generationSec: number;
}

// Bump when the generator's output changes for the same options, so stale databases are rebuilt.
// 2: incidents linked to the latest production deployment before them; cicd_deployments and cicd_releases rows.
const GENERATOR_VERSION = 2;
const markerTable = 'fawkes_bench_marker';

// The tables that grow with the deployment-commit rows.
const bulkTables = [
  'cicd_deployment_commits',
  'cicd_deployments',
  'commits',
  'pull_requests',
  'project_pr_metrics',
  'incidents',
  'project_incident_deployment_relationships',
];

/**
 * A DevLake-shaped MariaDB/MySQL database for a benchmark, generated once and reused: a
 * marker table records the generator options, the summary and completion. A database with
 * that name but without the marker was not created here and is never touched; one with a
 * stale or incomplete marker (an earlier benchmark run) is rebuilt.
 */
export async function ensureBenchDatabase(
  server: MySqlServer,
  name: string,
  options: GenerateDevLakeDataOptions,
): Promise<BenchDatabase> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`invalid bench database name ${name}`);
  const connection = { ...server, database: name, timezone: 'Z', dateStrings: true, charset: 'utf8mb4' };
  const wanted = JSON.stringify({ version: GENERATOR_VERSION, options });
  const admin = knexFactory({ client: 'mysql2', connection: server, pool: { min: 0, max: 1 } });
  try {
    const [exists] = await admin.raw('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [name]);
    if (exists.length > 0) {
      const reused = await readMarker(connection, wanted);
      if (reused === 'foreign') {
        throw new Error(
          `database ${name} exists but was not created by the benchmark (no ${markerTable}); drop it or rename it`,
        );
      }
      if (reused) return { name, connection, summary: reused, generated: false, generationSec: 0 };
      await admin.raw('DROP DATABASE ??', [name]);
    }
    await admin.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', [name]);
  } finally {
    await admin.destroy();
  }
  const knex = knexFactory({ client: 'mysql2', connection, pool: { min: 1, max: 1 } });
  try {
    await knex.schema.createTable(markerTable, t => {
      t.string('options', 2000).notNullable();
      t.text('summary');
      t.boolean('complete').notNullable();
    });
    await knex(markerTable).insert({ options: wanted, summary: null, complete: false });
    await createDevLakeSchema(knex);
    const started = Date.now();
    const summary = await withIndexesBuiltAfterLoad(knex, bulkTables, () => generateDevLakeData(knex, options));
    // Fresh index statistics, as a database DevLake has been writing to for a while has.
    await knex.raw(`ANALYZE TABLE ${DEVLAKE_TABLES.map(t => `\`${t}\``).join(', ')}`);
    const generationSec = (Date.now() - started) / 1000;
    await knex(markerTable).update({ summary: JSON.stringify(summary), complete: true });
    return { name, connection, summary, generated: true, generationSec };
  } finally {
    await knex.destroy();
  }
}

/**
 * Loads with the tables' primary keys and indexes removed and adds them back afterwards, in
 * the same order and form, which InnoDB builds by sorting. Loading a million rows into
 * random-order keys (commit shas) through a small buffer pool is otherwise I/O-bound. The
 * final DDL is checked to be exactly the original (DevLake's indexes, nothing more).
 */
async function withIndexesBuiltAfterLoad<T>(knex: Knex, tables: string[], load: () => Promise<T>): Promise<T> {
  const showCreate = async (table: string): Promise<string> => {
    const [[row]] = await knex.raw('SHOW CREATE TABLE ??', [table]);
    return row['Create Table'];
  };
  const saved: Array<{ table: string; ddl: string; keys: string[] }> = [];
  for (const table of tables) {
    const ddl = await showCreate(table);
    const keys = ddl
      .split('\n')
      .map(line => line.trim().replace(/,$/, ''))
      .filter(line => /^(PRIMARY KEY|UNIQUE KEY|KEY) /.test(line));
    if (keys.length === 0) continue;
    const drops = keys.map(key =>
      key.startsWith('PRIMARY KEY') ? 'DROP PRIMARY KEY' : `DROP INDEX ${/KEY (`[^`]+`)/.exec(key)![1]}`,
    );
    await knex.raw(`ALTER TABLE ?? ${drops.join(', ')}`, [table]);
    saved.push({ table, ddl, keys });
  }
  const result = await load();
  for (const { table, ddl, keys } of saved) {
    await knex.raw(`ALTER TABLE ?? ${keys.map(key => `ADD ${key}`).join(', ')}`, [table]);
    const restored = await showCreate(table);
    if (restored !== ddl) {
      throw new Error(`${table} was not restored to its DDL:\n${ddl}\n---\n${restored}`);
    }
  }
  return result;
}

/** The summary of a complete database generated with `wanted`; null if stale; 'foreign' without a marker. */
async function readMarker(
  connection: Record<string, unknown>,
  wanted: string,
): Promise<GeneratedDevLakeSummary | null | 'foreign'> {
  const knex: Knex = knexFactory({ client: 'mysql2', connection, pool: { min: 0, max: 1 } });
  try {
    if (!(await knex.schema.hasTable(markerTable))) return 'foreign';
    const [marker] = await knex(markerTable).select('options', 'summary', 'complete');
    if (!marker || !marker.complete || marker.options !== wanted || !marker.summary) return null;
    const summary: GeneratedDevLakeSummary = JSON.parse(marker.summary);
    const [{ n }] = await knex('cicd_deployment_commits').count({ n: '*' });
    return Number(n) === summary.deploymentCommitRows ? summary : null;
  } finally {
    await knex.destroy();
  }
}
