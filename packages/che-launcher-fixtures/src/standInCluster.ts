import { KubeApiTestServer, devWorkspaceResources } from '@fawkes/kube-api-test-server';
import { KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { cheClusterResource, CheNamespaceSettings, devWorkspaceOperatorConfigResource, seedCheNamespace } from './cheResources';

export interface StandInClusterOptions extends CheNamespaceSettings {
  /** Starting → Running after this many ms. Default 3000. */
  startDelayMs?: number;
  /** Stopping → Stopped and deletion after this many ms. Default 1000. */
  stopDelayMs?: number;
}

export interface StandInCluster {
  kube: KubeApiTestServer;
  /** A connection to it (a fresh random token, never logged). */
  kubeConfig: KubeConfig;
  stop(): Promise<void>;
}

/**
 * The in-process stand-in cluster: the repository's Kubernetes API test server on 127.0.0.1
 * (a random port) with its DevWorkspace operator simulator, Che's namespace seeded. Nothing runs:
 * phases and IDE URLs (under `cheUrl`) are simulated.
 */
export async function startStandInCluster(options: StandInClusterOptions): Promise<StandInCluster> {
  const token = randomBytes(24).toString('base64url');
  const kube = await KubeApiTestServer.start({
    token,
    resources: [...devWorkspaceResources, cheClusterResource, devWorkspaceOperatorConfigResource],
    controller: {
      startDelayMs: options.startDelayMs ?? 3000,
      stopDelayMs: options.stopDelayMs ?? 1000,
      mainUrlBase: options.cheUrl,
    },
    userName: 'system:serviceaccount:eclipse-che:che-launcher',
  });
  seedCheNamespace(kube, options);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions(kube.kubeConfig());
  return { kube, kubeConfig, stop: () => kube.stop() };
}
