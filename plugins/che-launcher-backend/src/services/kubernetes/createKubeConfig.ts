import { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import { KubernetesConnectionConfig } from '../../config';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** A KubeConfig for the configured connection (in-cluster, kubeconfig file, URL + token, or one a module supplied). */
export function createKubeConfig(connection: KubernetesConnectionConfig): KubeConfig {
  if (connection.type === 'supplied') return connection.kubeConfig;
  const kc = new KubeConfig();
  switch (connection.type) {
    case 'inCluster':
      // loadFromCluster() does not fail outside a pod; it would aim at https://undefined.
      if (!process.env.KUBERNETES_SERVICE_HOST || !fs.existsSync(SERVICE_ACCOUNT_TOKEN)) {
        throw new Error('not running in a Kubernetes pod (no KUBERNETES_SERVICE_HOST or service account token)');
      }
      kc.loadFromCluster();
      break;
    case 'kubeconfig':
      if (connection.path) {
        kc.loadFromFile(connection.path);
      } else {
        kc.loadFromDefault();
      }
      if (connection.context) {
        kc.setCurrentContext(connection.context);
      }
      break;
    case 'url':
      kc.loadFromOptions({
        clusters: [
          {
            name: 'che-launcher',
            server: connection.url,
            caData: connection.caData,
            skipTLSVerify: connection.skipTLSVerify ?? false,
          },
        ],
        users: [{ name: 'che-launcher', token: connection.token }],
        contexts: [{ name: 'che-launcher', cluster: 'che-launcher', user: 'che-launcher' }],
        currentContext: 'che-launcher',
      });
      break;
    default:
      throw new Error('Unknown cheLauncher.kubernetes.type');
  }
  if (!kc.getCurrentCluster()) {
    throw new Error('The Kubernetes configuration has no current cluster');
  }
  return kc;
}
