/*
 * Local stand-in for trying the plugin without a cluster:
 *   yarn workspace @fawkes/plugin-che-launcher-backend start
 * starts the repository's in-memory Kubernetes API test server (with its DevWorkspace controller
 * simulator) and a backend with only this plugin, pointed at it. Nothing runs anywhere: phases
 * and mainUrl are simulated. Requests without a token act as user:default/guest; use
 * `Authorization: Bearer mock-user-token:{"sub":"user:default/jane"}` for another user.
 */
import { createBackend } from '@backstage/backend-defaults';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { KubeApiTestServer, devWorkspaceResources } from '@fawkes/kube-api-test-server';

const TOKEN = 'che-launcher-dev-stand-in';

async function main() {
  const kube = await KubeApiTestServer.start({
    token: TOKEN,
    resources: devWorkspaceResources,
    namespaces: ['guest-workspaces', 'jane-workspaces', 'alice-workspaces'],
    controller: { startDelayMs: 3000, stopDelayMs: 1000 },
  });
  // eslint-disable-next-line no-console
  console.warn(
    `che-launcher dev: using the in-memory Kubernetes API STAND-IN at ${kube.url}; this is not a cluster, workspaces are simulated`,
  );
  Object.assign(process.env, {
    APP_CONFIG_cheLauncher_kubernetes_type: 'url',
    APP_CONFIG_cheLauncher_kubernetes_url: kube.url,
    APP_CONFIG_cheLauncher_kubernetes_token: TOKEN,
    APP_CONFIG_cheLauncher_kubernetes_skipTLSVerify: 'true',
  });

  const backend = createBackend();
  backend.add(mockServices.auth.factory());
  backend.add(
    mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.user('user:default/guest') }),
  );
  backend.add(import('../src'));
  await backend.start();
  process.on('SIGINT', () => void kube.stop().then(() => process.exit(0)));
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
