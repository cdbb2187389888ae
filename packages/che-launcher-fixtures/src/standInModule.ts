import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { cheLauncherClusterExtensionPoint } from '@fawkes/plugin-che-launcher-node';
import { BundledDevfileHost } from './BundledDevfileHost';
import { startStandInCluster } from './standInCluster';

const DEFAULT_DEVFILE_PORT = 7008;

/**
 * Local development only: when `cheLauncher.kubernetes` is not configured, che-launcher manages
 * DevWorkspaces on an in-process stand-in cluster (the Kubernetes API test server with its
 * DevWorkspace operator simulator, on 127.0.0.1 at a random port, Che's namespace seeded), and
 * the bundled golden-path devfiles are served at `https://localhost:<cheLauncherStandIn.devfilePort>`.
 * Nothing runs: phases and IDE URLs are simulated, and the plugin logs so. Used by packages/backend.
 */
export const cheLauncherModuleStandInCluster = createBackendModule({
  pluginId: 'che-launcher',
  moduleId: 'stand-in-cluster',
  register(env) {
    env.registerInit({
      deps: {
        cluster: cheLauncherClusterExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ cluster, config, logger, lifecycle }) {
        cluster.setFallbackCluster(async () => {
          const cheUrl = config.getOptionalString('cheLauncher.cheUrl') ?? 'https://che.127.0.0.1.nip.io';
          const standIn = await startStandInCluster({
            namespace: config.getOptionalString('cheLauncher.che.namespace') ?? 'eclipse-che',
            cheUrl,
            maxRunningWorkspacesPerUser: config.getOptionalNumber('cheLauncher.limits.maxRunningWorkspacesPerUser') ?? 1,
          });
          lifecycle.addShutdownHook(() => standIn.stop());

          const port = config.getOptionalNumber('cheLauncherStandIn.devfilePort') ?? DEFAULT_DEVFILE_PORT;
          let devfiles = `bundled devfiles not served (port ${port} is taken?)`;
          try {
            const host = await BundledDevfileHost.start({ port });
            lifecycle.addShutdownHook(() => host.stop());
            devfiles = `bundled devfiles ${host.names.join(', ')} at ${host.url('<name>')}`;
          } catch (error) {
            logger.error(`che-launcher stand-in: the bundled devfiles cannot be served on port ${port}: ${(error as Error).message}`);
          }
          return {
            kubeConfig: standIn.kubeConfig,
            description: `SIMULATED in-process stand-in cluster at ${standIn.kube.url} (no real cluster: DevWorkspace phases and IDE URLs under ${cheUrl} are simulated; local development only); ${devfiles}`,
          };
        });
      },
    });
  },
});
