import { LifecycleService, LoggerService } from '@backstage/backend-plugin-api';
import { CheLauncherConfig } from '../../config';
import { LABEL_OWNER, MANAGED_SELECTOR } from '../../model/constants';
import { createKubeConfig } from './createKubeConfig';
import { DevWorkspaceClient, KubernetesDevWorkspaceClient } from './DevWorkspaceClient';
import { DevWorkspaceInformer } from './DevWorkspaceInformer';
import { InformerDevWorkspaceClient } from './InformerDevWorkspaceClient';

/** How long a read waits for the informer to see a write of this process before asking the API server. */
const CONSISTENCY_TIMEOUT_MS = 2000;

/**
 * Puts an informer of the managed DevWorkspaces in front of a cluster client, started and
 * stopped with the plugin; a client without a cluster (or with the informer disabled) is
 * returned as it is.
 */
export function withDevWorkspaceInformer(
  client: DevWorkspaceClient,
  deps: { config: CheLauncherConfig; logger: LoggerService; lifecycle: LifecycleService },
): DevWorkspaceClient {
  const { config, logger, lifecycle } = deps;
  if (!(client instanceof KubernetesDevWorkspaceClient) || !config.kubernetes) return client;
  if (!config.informer.enabled) {
    logger.info('DevWorkspace informer disabled (cheLauncher.kubernetes.informer.enabled: false); every read goes to the API server');
    return client;
  }
  // The same connection the client was made from (it loaded fine just now).
  const informer = new DevWorkspaceInformer(createKubeConfig(config.kubernetes), logger, {
    labelSelector: MANAGED_SELECTOR,
    // A user's list selects on the owner hash: read only their objects, however many the cluster has.
    indexLabels: [LABEL_OWNER],
    listTimeoutMs: config.requestTimeoutMs,
  });
  // Not awaited: until it has synced, reads go to the API server.
  lifecycle.addStartupHook(() => {
    void informer.start();
  });
  lifecycle.addShutdownHook(() => informer.stop());
  return new InformerDevWorkspaceClient(client, informer, {
    labelSelector: MANAGED_SELECTOR,
    consistencyTimeoutMs: Math.min(CONSISTENCY_TIMEOUT_MS, config.requestTimeoutMs),
    logger,
  });
}
