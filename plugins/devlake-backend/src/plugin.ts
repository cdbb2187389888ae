import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { apiGuardServiceRef, InProgressLimiter } from '@fawkes/plugin-api-guard-node';
import { readPluginConfig } from './config';
import { devlakeDatabaseExtensionPoint, FallbackDevLakeDatabase } from '@fawkes/plugin-devlake-node';
import { loadOpenApiDocument } from './schema/openapi';
import { createRouter, DevLakeServices } from './router/createRouter';
import { DeploymentHistoryService } from './services/DeploymentHistoryService';
import { DoraMetricsService } from './services/DoraMetricsService';
import { DoraRepository } from './services/DoraRepository';
import { openDevLakeDatabase } from './services/openDevLakeDatabase';
import { ProjectResolver } from './services/ProjectResolver';
import { ResultCache } from './services/ResultCache';

/**
 * DORA metrics and deployment history read (read-only) from Apache DevLake's database,
 * with the semantics of DevLake's DORA dashboard.
 *
 * @public
 */
export const devlakePlugin = createBackendPlugin({
  pluginId: 'devlake',
  register(env) {
    let openFallback: (() => Promise<FallbackDevLakeDatabase>) | undefined;
    env.registerExtensionPoint(devlakeDatabaseExtensionPoint, {
      setFallbackDatabase(open) {
        if (openFallback) {
          throw new Error('Only one module may supply the fallback DevLake database');
        }
        openFallback = open;
      },
    });
    env.registerInit({
      deps: {
        guard: apiGuardServiceRef,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        cache: coreServices.cache,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
      },
      async init({ guard, config, logger, cache, lifecycle, catalog }) {
        const pluginConfig = readPluginConfig(config);
        const openApi = loadOpenApiDocument();
        const db = await openDevLakeDatabase(config, logger, openFallback);
        let services: DevLakeServices | undefined;
        if (db) {
          lifecycle.addShutdownHook(() => db.close());
          const repository = new DoraRepository(db);
          const resultCache = new ResultCache(cache, pluginConfig.cacheTtlMs, logger);
          const resolver = new ProjectResolver(
            catalog,
            pluginConfig.catalogTtlMs > 0 ? new ResultCache(cache, pluginConfig.catalogTtlMs, logger) : undefined,
          );
          services = {
            doraMetrics: new DoraMetricsService(repository, resolver, resultCache),
            deploymentHistory: new DeploymentHistoryService(repository, resolver, resultCache),
          };
        }
        const batchLimiter = new InProgressLimiter({ noun: 'batch requests', ...pluginConfig.batch });
        createRouter({ guard, logger, services, defaultBenchmark: pluginConfig.benchmark, batchLimiter, openApi });
      },
    });
  },
});
