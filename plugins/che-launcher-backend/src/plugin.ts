import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { apiGuardServiceRef, BoundedUrlReader } from '@fawkes/plugin-api-guard-node';
import {
  cheLauncherWorkspaceCreatePermission,
  cheLauncherWorkspaceDeletePermission,
  cheLauncherWorkspaceReadPermission,
  cheLauncherWorkspaceUpdatePermission,
} from '@fawkes/plugin-che-launcher-common';
import { cheLauncherClusterExtensionPoint, FallbackCheCluster } from '@fawkes/plugin-che-launcher-node';
import { readCheLauncherConfig } from './config';
import { loadOpenApiDocument } from './schema/openapi';
import { createRouter } from './router/createRouter';
import { WorkspaceAccess } from './services/access/WorkspaceAccess';
import { workspacePermissionRules, workspaceResourceRef } from './services/access/permissionRules';
import { DevfileReader } from './services/devfile/DevfileReader';
import { DevfileSourceResolver } from './services/devfile/DevfileSourceResolver';
import { DevfileTemplates } from './services/devfile/DevfileTemplates';
import { DevfileSchemaValidator } from './services/devfile/DevfileSchemaValidator';
import { parseDevfile } from './services/devfile/parseDevfile';
import { createDevWorkspaceClient, createNamespaceClient } from './services/kubernetes/createDevWorkspaceClient';
import { CheUserNames } from './services/namespace/CheUserNames';
import { UserNamespaces } from './services/namespace/UserNamespaces';
import { withDevWorkspaceInformer } from './services/kubernetes/withDevWorkspaceInformer';
import { WorkspaceEditors } from './services/editor/WorkspaceEditors';
import { OrphanCleaner } from './services/workspace/OrphanCleaner';
import { WorkspaceService } from './services/workspace/WorkspaceService';

/** The scheduler task that removes DevWorkspaces failed creates left behind. */
export const ORPHAN_SWEEP_TASK_ID = 'che-launcher-orphan-sweep';

/**
 * Eclipse Che workspaces from a Devfile URL, as DevWorkspace resources.
 *
 * @public
 */
export const cheLauncherPlugin = createBackendPlugin({
  pluginId: 'che-launcher',
  register(env) {
    let openFallbackCluster: (() => Promise<FallbackCheCluster>) | undefined;
    env.registerExtensionPoint(cheLauncherClusterExtensionPoint, {
      setFallbackCluster(open) {
        openFallbackCluster = open;
      },
    });
    env.registerInit({
      deps: {
        guard: apiGuardServiceRef,
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        urlReader: coreServices.urlReader,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({ guard, rootConfig, logger, urlReader, permissions, permissionsRegistry, scheduler, lifecycle, catalog, auth }) {
        let config = readCheLauncherConfig(rootConfig);
        if (!config.kubernetes && openFallbackCluster) {
          const fallback = await openFallbackCluster();
          logger.warn(`No cheLauncher.kubernetes configured; using the cluster a backend module supplies: ${fallback.description}`);
          config = { ...config, kubernetes: { type: 'supplied', kubeConfig: fallback.kubeConfig } };
        }
        const schemaValidator = new DevfileSchemaValidator();

        let editorDevfile: Record<string, unknown>;
        try {
          editorDevfile = parseDevfile(config.editor.template);
          schemaValidator.validate(editorDevfile);
        } catch (error) {
          throw new Error(
            `cheLauncher.editor.template is not a valid devfile: ${(error as Error).message}`,
          );
        }

        // Lists and gets are served from an informer (list + watch) once it has synced.
        const client = withDevWorkspaceInformer(createDevWorkspaceClient(config, logger), {
          config,
          logger,
          lifecycle,
        });
        const orphans = new OrphanCleaner({
          client,
          editorDevfile,
          logger,
          options: {
            rollbackAttempts: 3,
            rollbackRetryDelayMs: 200,
            orphanMinAgeMs: config.orphanSweep.minAgeMs,
            requestTimeoutMs: config.requestTimeoutMs,
          },
        });
        if (config.kubernetes) {
          await scheduler.scheduleTask({
            id: ORPHAN_SWEEP_TASK_ID,
            frequency: { milliseconds: config.orphanSweep.frequencyMs },
            timeout: { minutes: 5 },
            initialDelay: { seconds: 30 },
            fn: async () => {
              await orphans.sweep();
            },
          });
        }

        const namespaces = new UserNamespaces({
          client: createNamespaceClient(config),
          userNames: new CheUserNames(config.userName, { catalog, auth }),
          template: config.namespaceTemplate,
          autoProvision: config.autoProvisionNamespace,
          allowedNamespaces: config.allowedNamespaces,
          logger,
        });

        const templates = DevfileTemplates.fromConfig(rootConfig.getOptionalConfig('cheLauncher'));
        const devfileSources = new DevfileSourceResolver({
          templates,
          catalog,
          catalogTimeoutMs: config.requestTimeoutMs,
        });
        const workspaces = new WorkspaceService({
          client,
          devfileSources,
          namespaces,
          orphans,
          devfileReader: new DevfileReader(
            BoundedUrlReader.create(
              { config: rootConfig, logger, urlReader },
              {
                maxSize: config.maxDevfileSize,
                timeoutMs: config.devfileReadTimeoutMs,
                requireHttps: true,
                subject: 'The devfile',
              },
            ),
          ),
          schemaValidator,
          access: new WorkspaceAccess(permissions, permissionsRegistry, config.ownerOnly),
          config,
          editors: WorkspaceEditors.fromConfig(config, editorDevfile, logger),
          logger,
        });

        permissionsRegistry.addResourceType({
          resourceRef: workspaceResourceRef,
          permissions: [
            cheLauncherWorkspaceReadPermission,
            cheLauncherWorkspaceUpdatePermission,
            cheLauncherWorkspaceDeletePermission,
          ],
          rules: workspacePermissionRules,
          getResources: refs => workspaces.getResources(refs),
        });
        permissionsRegistry.addPermissions([cheLauncherWorkspaceCreatePermission]);

        createRouter({ guard, logger, workspaces, templates, openApi: loadOpenApiDocument() });
      },
    });
  },
});
