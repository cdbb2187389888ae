import { LoggerService } from '@backstage/backend-plugin-api';
import { CheLauncherConfig } from '../../config';
import { createKubeConfig } from './createKubeConfig';
import { KubernetesNamespaceClient, NamespaceClient, UnconfiguredNamespaceClient } from './NamespaceClient';
import {
  DevWorkspaceClient,
  KubernetesDevWorkspaceClient,
  UnconfiguredDevWorkspaceClient,
} from './DevWorkspaceClient';

/**
 * The cluster client for the configured connection. Without a usable one the plugin still
 * starts; its workspace routes answer 503 with the reason.
 */
export function createDevWorkspaceClient(
  config: CheLauncherConfig,
  logger: LoggerService,
): DevWorkspaceClient {
  if (!config.kubernetes) {
    logger.warn(
      'No Kubernetes cluster configured (cheLauncher.kubernetes); workspace routes will answer 503',
    );
    return new UnconfiguredDevWorkspaceClient(
      'No Kubernetes cluster is configured for che-launcher (cheLauncher.kubernetes)',
    );
  }
  try {
    const kubeConfig = createKubeConfig(config.kubernetes);
    logger.info(
      `Managing DevWorkspaces on ${kubeConfig.getCurrentCluster()?.server} (${config.kubernetes.type}), request timeout ${config.requestTimeoutMs}ms`,
    );
    return new KubernetesDevWorkspaceClient(kubeConfig, config.requestTimeoutMs);
  } catch (error) {
    logger.error(
      `The Kubernetes configuration (cheLauncher.kubernetes, type ${config.kubernetes.type}) is unusable: ${(error as Error).message}; workspace routes will answer 503`,
    );
    return new UnconfiguredDevWorkspaceClient(
      'The Kubernetes connection of che-launcher is misconfigured; see the backend logs',
    );
  }
}

/** The namespace client for the same connection (503s when there is none or it is unusable). */
export function createNamespaceClient(config: CheLauncherConfig): NamespaceClient {
  if (!config.kubernetes) {
    return new UnconfiguredNamespaceClient(
      'No Kubernetes cluster is configured for che-launcher (cheLauncher.kubernetes)',
    );
  }
  try {
    return new KubernetesNamespaceClient(createKubeConfig(config.kubernetes), config.requestTimeoutMs);
  } catch {
    // createDevWorkspaceClient has logged why.
    return new UnconfiguredNamespaceClient(
      'The Kubernetes connection of che-launcher is misconfigured; see the backend logs',
    );
  }
}
