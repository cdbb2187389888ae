// The bench profiles the plugin's own repository and calculator in-process, exactly as the
// route runs them, through the plugin's testUtils entry (not part of its API).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { DevLakeDatabase, DoraMetricsCalculator, DoraRepository } from '@fawkes/plugin-devlake-backend/testUtils';
import knexFactory, { Knex } from 'knex';

interface QueryProfile {
  table: string;
  ms: number;
  rows: number;
  plan: string;
}

/** The plugin's own database access, timing each query and recording MariaDB's EXPLAIN. */
class ProfilingDatabase extends DevLakeDatabase {
  readonly profiles: QueryProfile[] = [];

  async run<T = any[]>(query: Knex.QueryBuilder | Knex.Raw): Promise<T> {
    const { sql, bindings } = query.toSQL().toNative();
    const started = performance.now();
    const rows = await super.run<T>(query);
    const ms = performance.now() - started;
    const [plan] = await this.knex.raw(`EXPLAIN ${sql}`, bindings as any[]);
    const from = /from `?(\w+)`?/i.exec(sql)?.[1] ?? '?';
    this.profiles.push({
      table: from,
      ms,
      rows: Array.isArray(rows) ? rows.length : 0,
      plan: (plan as any[])
        .map(p => `${p.table}:${p.type}${p.key ? `(${p.key})` : ''}`)
        .join(' → '),
    });
    return rows;
  }
}

/**
 * Runs the plugin's DORA calculation (the same repository and calculator the route uses) for
 * one project and window and describes each query: time, rows returned and access path.
 */
export async function profileDoraQueries(
  connection: Record<string, unknown>,
  project: string,
  window: { startDate: string; endDate: string },
): Promise<string[]> {
  const knex = knexFactory({ client: 'mysql2', connection, pool: { min: 0, max: 5 } });
  try {
    const db = new ProfilingDatabase(knex, 'mysql', 600_000, 'bench MySQL');
    // The window as Grafana passes it: whole seconds, the end day's 23:59:59 inclusive.
    const fromMs = Date.parse(`${window.startDate}T00:00:00Z`);
    const toMs = Date.parse(`${window.endDate}T23:59:59Z`);
    await new DoraMetricsCalculator(new DoraRepository(db)).calculate(
      { projects: [project], team: null },
      { fromMs, toMs },
      '2023',
    );
    return db.profiles.map(p => `${p.table} ${p.ms.toFixed(0)} ms, ${p.rows} rows, ${p.plan}`);
  } finally {
    await knex.destroy();
  }
}
