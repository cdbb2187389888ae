/**
 * The editor and the template attributes over HTTP, against the Kubernetes API test server
 * (real client-node): the built-in fallback, a Che namespace the plugin may not read, and the
 * dashboard's attributes added again at start.
 */
import { KubeApiTestServer } from '@fawkes/kube-api-test-server';
import { PatchStrategy, setHeaderOptions, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { parseDevfile } from './services/devfile/parseDevfile';
import { defaultEditorTemplate } from './model/defaultEditor';
import { checked, DW, DWT, devfileUrl, eventually, goldenDevfile, objectsOf, startCheLauncher, startKube, user } from './__testUtils__/harness';

jest.setTimeout(30_000);

const NS = 'dora-workspaces';

describe('che-launcher: the editor and template attributes over HTTP', () => {
  let kube: KubeApiTestServer;
  let server: any;
  let stopBackend: () => Promise<void>;

  beforeAll(async () => {
    // No eclipse-che namespace, so no editor definitions: the built-in one is used.
    kube = await startKube([NS], { startDelayMs: 50, stopDelayMs: 50 });
    const backend = await startCheLauncher({
      kube,
      files: { '/goldenpath-python.yaml': { body: goldenDevfile } },
      cheLauncher: { che: { pvcStrategy: 'per-workspace', openVSXUrl: 'https://open-vsx.org' }, limits: { maxRunningWorkspacesPerUser: -1 } },
    });
    server = backend.server;
    stopBackend = () => backend.stop();
  });

  afterAll(async () => {
    await stopBackend?.();
    await kube?.stop();
  });

  const post = (path: string, body?: object) =>
    checked(server).post(`/api/che-launcher${path}`).set('Authorization', user('dora')).send(body);

  it("uses the built-in editor when Che has no definition of it, pinned and with Che's URLs", async () => {
    const res = await post('/workspaces', { devfileUrl: devfileUrl('goldenpath-python.yaml'), name: 'fallback' });
    expect(res.status).toBe(201);
    const template = objectsOf(kube, { ...DWT, namespace: NS }).find(t => t.metadata.name === 'che-code-fallback');
    const builtIn = parseDevfile(defaultEditorTemplate) as any;
    expect(template.spec.components.map((c: any) => c.container?.image)).toEqual(builtIn.components.map((c: any) => c.container?.image));
    expect(template.spec.components[0].container.image).toMatch(/^quay\.io\/che-incubator\/che-code@sha256:/);
    expect(template.spec.components[0].container.env).toEqual([
      { name: 'CHE_DASHBOARD_URL', value: 'https://che.example.com' },
      { name: 'OPENVSX_REGISTRY_URL', value: 'https://open-vsx.org' },
    ]);
    expect(template.metadata.annotations).toEqual({
      'che.eclipse.org/components-update-policy': 'managed',
      'che.eclipse.org/plugin-registry-url': 'che-incubator/che-code/latest',
    });
    // The editor lookup went to Che's namespace with the dashboard's selector.
    expect(kube.requests.some(r => r.path === '/api/v1/namespaces/eclipse-che/configmaps')).toBe(true);
  });

  it('answers 503 naming the grant, and creates nothing, when it may not read the editor definitions', async () => {
    kube.deny({ verb: 'list', plural: 'configmaps', scope: 'eclipse-che' });
    try {
      const before = objectsOf(kube, { ...DW, namespace: NS }).length;
      const res = await post('/workspaces', { devfileUrl: devfileUrl('goldenpath-python.yaml'), name: 'denied' });
      expect(res.status).toBe(503);
      expect(res.body.error).toContain("may not list configmaps in namespace 'eclipse-che'");
      expect(objectsOf(kube, { ...DW, namespace: NS })).toHaveLength(before);
      expect(objectsOf(kube, { ...DWT, namespace: NS }).some(t => t.metadata.name === 'che-code-denied')).toBe(false);
    } finally {
      kube.allowAll();
    }
  });

  it("adds Che's operator config and pvcStrategy again at start to a workspace that lacks them, and its Open VSX URL", async () => {
    const created = await post('/workspaces', { devfileUrl: devfileUrl('goldenpath-python.yaml'), name: 'older' });
    expect(created.status).toBe(201);
    // The golden path devfile names per-user itself: kept over che.pvcStrategy.
    const dw = () => objectsOf(kube, { ...DW, namespace: NS }).find(o => o.metadata.name === 'older');
    expect(dw().spec.template.attributes['controller.devfile.io/storage-type']).toBe('per-user');

    // As if made before these attributes existed: both removed, then stopped.
    const kc = new KubeConfig();
    kc.loadFromOptions(kube.kubeConfig());
    await kc.makeApiClient(CustomObjectsApi).patchNamespacedCustomObject(
      {
        ...DW,
        namespace: NS,
        name: 'older',
        body: [
          { op: 'remove', path: '/spec/template/attributes/controller.devfile.io~1storage-type' },
          { op: 'remove', path: '/spec/template/attributes/controller.devfile.io~1devworkspace-config' },
          { op: 'add', path: '/spec/template/components/0/container/env/-', value: { name: 'OPENVSX_REGISTRY_URL', value: 'https://old.example' } },
          { op: 'replace', path: '/spec/started', value: false },
        ],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    await eventually(async () => dw().status?.phase === 'Stopped');

    expect((await post('/workspaces/dora-workspaces.older/start')).status).toBe(200);
    expect(dw().spec.template.attributes).toMatchObject({
      'controller.devfile.io/storage-type': 'per-workspace',
      'controller.devfile.io/devworkspace-config': { name: 'devworkspace-config', namespace: 'eclipse-che' },
    });
    // And a stale Open VSX URL in the workspace's own containers is Che's current one again.
    expect(dw().spec.template.components[0].container.env).toEqual([
      { name: 'PIP_CACHE_DIR', value: '/home/user/.cache/pip' },
      { name: 'OPENVSX_REGISTRY_URL', value: 'https://open-vsx.org' },
    ]);
  });
});
