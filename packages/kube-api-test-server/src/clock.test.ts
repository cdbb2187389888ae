/** The server clock behind creation and deletion timestamps. */
import { devWorkspaceResources, KubeApiTestServer } from './index';
import { clientsFor, devWorkspace, dwRef } from './__testUtils__/testUtils';

describe('setClock', () => {
  it('stamps creationTimestamp (whole seconds) with the clock it is given, until restored', async () => {
    const kube = await KubeApiTestServer.start({ token: 't', resources: devWorkspaceResources, namespaces: ['ns'] });
    try {
      const { custom } = clientsFor(kube);
      kube.setClock(() => new Date('2026-01-02T03:04:05.678Z'));
      const old = await custom.createNamespacedCustomObject({ ...dwRef, namespace: 'ns', body: devWorkspace('old') });
      expect(old.metadata.creationTimestamp).toBe('2026-01-02T03:04:05Z');
      kube.setClock();
      const fresh = await custom.createNamespacedCustomObject({ ...dwRef, namespace: 'ns', body: devWorkspace('fresh') });
      expect(Date.now() - Date.parse(fresh.metadata.creationTimestamp)).toBeLessThan(5_000);
    } finally {
      await kube.stop();
    }
  });
});
