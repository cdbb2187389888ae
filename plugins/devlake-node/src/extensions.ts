import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/**
 * A DevLake-shaped database supplied by a backend module instead of `devlake.database`.
 *
 * @public
 */
export interface FallbackDevLakeDatabase {
  knex: Knex;
  dialect: 'mysql' | 'sqlite';
  /** Logged at start-up, e.g. "generated demo data: 5 projects, 3 teams". */
  description: string;
}

/**
 * Lets a backend module supply the database the plugin reads when `devlake.database` is
 * not configured, such as a generated demo database for local development. A configured
 * `devlake.database` always wins.
 *
 * @public
 */
export interface DevLakeDatabaseExtensionPoint {
  setFallbackDatabase(open: () => Promise<FallbackDevLakeDatabase>): void;
}

/**
 * The devlake plugin's extension point for a fallback database.
 *
 * @public
 */
export const devlakeDatabaseExtensionPoint = createExtensionPoint<DevLakeDatabaseExtensionPoint>({
  id: 'devlake.database',
});
