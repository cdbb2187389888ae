import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { startStandInCluster } from './standInCluster';

describe('startStandInCluster', () => {
  it("serves Che's namespace as che-operator leaves it, over HTTP with client-node", async () => {
    const standIn = await startStandInCluster({
      namespace: 'eclipse-che',
      cheUrl: 'https://che.local.test',
      maxRunningWorkspacesPerUser: 3,
      startDelayMs: 10,
      stopDelayMs: 10,
    });
    try {
      expect(standIn.kube.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const core = standIn.kubeConfig.makeApiClient(CoreV1Api);
      const editors = await core.listNamespacedConfigMap({
        namespace: 'eclipse-che',
        labelSelector: 'app.kubernetes.io/component=editor-definition,app.kubernetes.io/part-of=che.eclipse.org',
      });
      expect(editors.items.map(c => c.metadata?.name)).toEqual(['editors-definitions']);
      const definition = editors.items[0].data!['che-code-latest.yaml'];
      expect(definition).toMatch(/^metadata:\n {2}name: che-code\n/m);
      expect(definition).toMatch(/^ {4}publisher: che-incubator\n {4}version: latest$/m);

      const custom = standIn.kubeConfig.makeApiClient(CustomObjectsApi);
      const cheCluster = await custom.getNamespacedCustomObject({
        group: 'org.eclipse.che',
        version: 'v2',
        namespace: 'eclipse-che',
        plural: 'checlusters',
        name: 'eclipse-che',
      });
      expect(cheCluster.spec.devEnvironments.maxNumberOfRunningWorkspacesPerUser).toBe(3);
      expect(cheCluster.status.cheURL).toBe('https://che.local.test');
      const dwoc = await custom.getNamespacedCustomObject({
        group: 'controller.devfile.io',
        version: 'v1alpha1',
        namespace: 'eclipse-che',
        plural: 'devworkspaceoperatorconfigs',
        name: 'devworkspace-config',
      });
      expect(dwoc.metadata.name).toBe('devworkspace-config');
    } finally {
      await standIn.stop();
    }
  });
});
