/** KubeConfig shapes for `@kubernetes/client-node` (`loadFromOptions` and `loadFromString`). */

export interface KubeConfigOptions {
  clusters: Array<{ name: string; server: string; skipTLSVerify: boolean }>;
  users: Array<{ name: string; token: string }>;
  contexts: Array<{ name: string; cluster: string; user: string; namespace?: string }>;
  currentContext: string;
}

const NAME = 'kube-api-test-server';

/** For `new KubeConfig().loadFromOptions(...)`. */
export function kubeConfigOptions(server: string, token: string, namespace?: string): KubeConfigOptions {
  return {
    // client-node refuses plain http unless skipTLSVerify is set.
    clusters: [{ name: NAME, server, skipTLSVerify: true }],
    users: [{ name: NAME, token }],
    contexts: [{ name: NAME, cluster: NAME, user: NAME, ...(namespace ? { namespace } : {}) }],
    currentContext: NAME,
  };
}

/** A kubeconfig file (JSON is valid YAML) for `loadFromString` or `KUBECONFIG`. */
export function kubeConfigFile(server: string, token: string, namespace?: string): string {
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: NAME, cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: NAME, user: { token } }],
      contexts: [{ name: NAME, context: { cluster: NAME, user: NAME, ...(namespace ? { namespace } : {}) } }],
      'current-context': NAME,
    },
    null,
    2,
  );
}
