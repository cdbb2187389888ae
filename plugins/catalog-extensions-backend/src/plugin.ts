import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { apiGuardServiceRef, BoundedUrlReader, InProgressLimiter } from '@fawkes/plugin-api-guard-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readCatalogExtensionsConfig } from './config';
import { loadOpenApiDocument } from './schema/openapi';
import { createRouter } from './router/createRouter';
import { CatalogRules } from './services/CatalogRules';
import { EntityDocumentValidator } from './services/EntityDocumentValidator';
import { CatalogEntitiesPassThrough } from './services/CatalogEntitiesPassThrough';
import { LocationRegistrar } from './services/LocationRegistrar';
import { LocationStatusReader } from './services/LocationStatusReader';
import { RegistrationService } from './services/RegistrationService';
import { TargetReader } from './services/TargetReader';

/**
 * Validated location registration and streamed entity queries over the core catalog, at
 * `/api/catalog-extensions`.
 *
 * @public
 */
export const catalogExtensionsPlugin = createBackendPlugin({
  pluginId: 'catalog-extensions',
  register(env) {
    env.registerInit({
      deps: {
        guard: apiGuardServiceRef,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        lifecycle: coreServices.lifecycle,
      },
      async init({ guard, config, logger, urlReader, catalog, discovery, auth, lifecycle }) {
        const settings = readCatalogExtensionsConfig(config);
        const integrations = ScmIntegrations.fromConfig(config);
        const reader = new TargetReader(
          BoundedUrlReader.create(
            { config, logger, urlReader },
            {
              maxSize: settings.maxDocumentSize,
              timeoutMs: settings.readTimeoutMs,
              subject: 'The catalog-info.yaml',
            },
          ),
          integrations,
          settings,
        );
        const validator = new EntityDocumentValidator({
          rules: CatalogRules.fromConfig(config),
          maxDocuments: settings.maxDocuments,
          additionalKinds: settings.additionalKinds,
          allowedKinds: settings.allowedKinds,
        });
        const entities = new CatalogEntitiesPassThrough(discovery, auth, logger, settings.catalogTimeoutMs);
        lifecycle.addShutdownHook(() => entities.close());
        const registrar = new LocationRegistrar(reader, validator, catalog, integrations, settings);
        const limiter = new InProgressLimiter({
          noun: 'registrations',
          ...settings.registrations,
          // the catalog client cannot be cancelled: a call answered with a timeout keeps its slot
          maxHoldMs: 3 * settings.catalogTimeoutMs,
        });
        createRouter({
          guard,
          openApi: loadOpenApiDocument(),
          registrations: new RegistrationService(registrar, limiter),
          statusReader: new LocationStatusReader(catalog, request => registrar.readAndValidate(request), settings.catalogTimeoutMs),
          entities,
        });
        if (!settings.allowedFileRoots.length) {
          logger.info('file locations are disabled (catalogExtensions.allowedFileRoots is empty)');
        }
      },
    });
  },
});
