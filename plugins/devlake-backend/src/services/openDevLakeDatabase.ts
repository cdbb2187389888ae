import { LoggerService, RootConfigService } from '@backstage/backend-plugin-api';
import { FallbackDevLakeDatabase } from '@fawkes/plugin-devlake-node';
import { DevLakeDatabase } from './DevLakeDatabase';

/**
 * The configured DevLake database or, when `devlake.database` is absent, the one a backend
 * module supplied through `devlakeDatabaseExtensionPoint` (with a loud log line saying so).
 * Neither: undefined, and the routes answer 503.
 */
export async function openDevLakeDatabase(
  config: RootConfigService,
  logger: LoggerService,
  openFallback?: () => Promise<FallbackDevLakeDatabase>,
): Promise<DevLakeDatabase | undefined> {
  const configured = DevLakeDatabase.fromConfig(config, logger);
  if (configured) {
    if (openFallback) {
      logger.info('devlake.database is configured; the fallback database of a backend module is not used');
    }
    return configured;
  }
  if (!openFallback) {
    logger.warn('devlake.database is not configured: the API answers 503 until it is');
    return undefined;
  }
  const started = Date.now();
  const fallback = await openFallback();
  logger.warn(
    `devlake.database is not configured: SERVING ${fallback.description}, not a real DevLake (opened in ${Date.now() - started} ms)`,
  );
  return new DevLakeDatabase(fallback.knex, fallback.dialect, 10_000, fallback.description);
}
