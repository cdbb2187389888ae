import { LoggerService, RootConfigService } from '@backstage/backend-plugin-api';
import { DevLakeDatabase } from './DevLakeDatabase';

// A variable keeps bundlers from resolving (and bundling) the demo package: it exists in this monorepo
// (a private workspace package) and is not a dependency of the published plugin.
const demoPackage = '@fawkes/devlake-fixtures';

/**
 * The configured DevLake database, or, when `devlake.database` is absent, the generated
 * DevLake-shaped SQLite demo database (if `@fawkes/devlake-fixtures` can be loaded), with a
 * loud log line saying that demo data is served.
 */
export async function openDevLakeDatabase(
  config: RootConfigService,
  logger: LoggerService,
): Promise<DevLakeDatabase | undefined> {
  const configured = DevLakeDatabase.fromConfig(config, logger);
  if (configured) return configured;
  if (config.getOptionalBoolean('devlake.demo.enabled') === false) {
    logger.warn('devlake.database is not configured and the demo database is disabled: the API answers 503');
    return undefined;
  }
  try {
    const started = Date.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createDemoDevLakeDatabase } = require(demoPackage);
    const { knex, summary } = await createDemoDevLakeDatabase();
    logger.warn(
      `devlake.database is not configured: SERVING GENERATED DEMO DATA, not a real DevLake (${summary.projects.length} projects [${summary.projects.join(', ')}], teams [${summary.teams.join(', ')}], ${summary.deployments} deployments ${summary.from.slice(0, 10)}..${summary.to.slice(0, 10)}; built in ${Date.now() - started} ms)`,
    );
    return new DevLakeDatabase(knex, 'sqlite', 10_000, 'demo');
  } catch (error) {
    logger.warn(
      `devlake.database is not configured and the demo database could not be created (${(error as Error).message}): the API answers 503`,
    );
    return undefined;
  }
}
