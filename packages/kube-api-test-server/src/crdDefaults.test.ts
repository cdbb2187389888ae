/** The CRDs' schema defaults, as the API server writes them, seen through client-node. */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { devWorkspaceResources, KubeApiTestServer } from './index';
import { clientsFor, dwRef, dwtRef } from './__testUtils__/testUtils';

const ns = 'alice-workspaces';

describe('CRD defaults', () => {
  let kube: KubeApiTestServer;

  beforeEach(async () => {
    kube = await KubeApiTestServer.start({ token: 't', resources: devWorkspaceResources, namespaces: [ns] });
  });

  afterEach(async () => {
    await kube.stop();
  });

  it('defaults sourceMapping and endpoint exposure/protocol of DevWorkspaces and templates, keeping given values', async () => {
    const { custom } = clientsFor(kube);
    const components = [
      { name: 'tools', container: { image: 'i', endpoints: [{ name: 'web', targetPort: 8080 }, { name: 'dbg', targetPort: 5678, exposure: 'internal', protocol: 'tcp' }] } },
      { name: 'own', container: { image: 'i', sourceMapping: '/src' } },
      { name: 'k8s', kubernetes: { uri: 'https://x.test/k.yaml', endpoints: [{ name: 'api', targetPort: 80 }] } },
      { name: 'vol', volume: {} },
    ];
    const dw = await custom.createNamespacedCustomObject({
      ...dwRef, namespace: ns,
      body: { apiVersion: 'workspace.devfile.io/v1alpha2', kind: 'DevWorkspace', metadata: { name: 'ws' }, spec: { started: false, template: { components } } },
    });
    const expected = [
      {
        name: 'tools',
        container: {
          image: 'i',
          sourceMapping: '/projects',
          endpoints: [
            { name: 'web', targetPort: 8080, exposure: 'public', protocol: 'http' },
            { name: 'dbg', targetPort: 5678, exposure: 'internal', protocol: 'tcp' },
          ],
        },
      },
      { name: 'own', container: { image: 'i', sourceMapping: '/src' } },
      { name: 'k8s', kubernetes: { uri: 'https://x.test/k.yaml', endpoints: [{ name: 'api', targetPort: 80, exposure: 'public', protocol: 'http' }] } },
      { name: 'vol', volume: {} },
    ];
    expect(dw.spec.template.components).toEqual(expected);
    expect(kube.object({ ...dwRef, namespace: ns, name: 'ws' })!.spec).toMatchObject({ template: { components: expected } });

    const dwt = await custom.createNamespacedCustomObject({
      ...dwtRef, namespace: ns,
      body: { apiVersion: 'workspace.devfile.io/v1alpha2', kind: 'DevWorkspaceTemplate', metadata: { name: 'editor' }, spec: { components } },
    });
    expect(dwt.spec.components).toEqual(expected);

    // A write that drops a defaulted field gets it back, as on a real API server.
    const patched = await custom.patchNamespacedCustomObject(
      { ...dwtRef, namespace: ns, name: 'editor', body: [{ op: 'remove', path: '/spec/components/0/container/sourceMapping' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(patched.spec.components[0].container.sourceMapping).toBe('/projects');
    expect(patched.metadata.generation).toBe(1);
  });
});
