import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * A cluster connection supplied by a backend module instead of `cheLauncher.kubernetes`.
 *
 * @public
 */
export interface FallbackCheCluster {
  /** The connection: current context, cluster and user. */
  kubeConfig: KubeConfig;
  /** Logged at start-up (a warning), e.g. "SIMULATED: in-process stand-in at http://127.0.0.1:41234". */
  description: string;
}

/**
 * Lets a backend module supply the cluster the plugin manages DevWorkspaces on when
 * `cheLauncher.kubernetes` is not configured, such as the in-process stand-in cluster of this
 * repository's local backend. A configured `cheLauncher.kubernetes` always wins, and then
 * `open` is never called.
 *
 * @public
 */
export interface CheLauncherClusterExtensionPoint {
  /** `open` is called once, at the plugin's start, only when no cluster is configured. */
  setFallbackCluster(open: () => Promise<FallbackCheCluster>): void;
}

/**
 * The che-launcher plugin's extension point for a fallback cluster.
 *
 * @public
 */
export const cheLauncherClusterExtensionPoint = createExtensionPoint<CheLauncherClusterExtensionPoint>({
  id: 'che-launcher.cluster',
});
