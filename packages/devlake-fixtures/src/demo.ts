import knexFactory, { Knex } from 'knex';
import { generateDevLakeData, GeneratedDevLakeSummary } from './generate';
import { createDevLakeSchema } from './schema';

export interface DemoDevLakeDatabase {
  knex: Knex;
  summary: GeneratedDevLakeSummary;
}

/**
 * A DevLake-shaped SQLite database with several projects and teams and six months of
 * deployments, PRs and incidents ending today: the embedded default of the devlake plugin.
 * In memory unless `filename` is given. Takes well under a second to build.
 */
export async function createDemoDevLakeDatabase(
  options: { filename?: string; now?: Date | string; seed?: number } = {},
): Promise<DemoDevLakeDatabase> {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: options.filename ?? ':memory:' },
    useNullAsDefault: true,
    // One connection: an in-memory SQLite database exists once per connection.
    pool: { min: 1, max: 1 },
  });
  await createDevLakeSchema(knex);
  const summary = await generateDevLakeData(knex, {
    seed: options.seed ?? 7,
    projects: 5,
    teams: 3,
    days: 182,
    now: options.now,
  });
  return { knex, summary };
}
