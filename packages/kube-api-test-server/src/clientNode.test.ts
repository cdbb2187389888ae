/**
 * Drives the server with the real @kubernetes/client-node over HTTP: CRUD of custom
 * resources, label selectors, patches, namespaces and the Status error bodies.
 */
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { devWorkspaceResources, KubeApiTestServer } from './index';
import { statusOf } from './__testUtils__/testUtils';

const dw = { group: 'workspace.devfile.io', version: 'v1alpha2', plural: 'devworkspaces' };
const dwt = { group: 'workspace.devfile.io', version: 'v1alpha2', plural: 'devworkspacetemplates' };
const ns = 'alice-workspaces';

function devWorkspace(name: string | undefined, labels: Record<string, string> = {}, extra: object = {}) {
  return {
    apiVersion: 'workspace.devfile.io/v1alpha2',
    kind: 'DevWorkspace',
    metadata: { ...(name ? { name } : { generateName: 'ws-' }), labels },
    spec: { started: false, template: { components: [{ name: 'tools', container: { image: 'quay.io/devfile/universal-developer-image:latest' } }] } },
    ...extra,
  };
}

describe('KubeApiTestServer with @kubernetes/client-node', () => {
  let kube: KubeApiTestServer;
  let custom: CustomObjectsApi;
  let core: CoreV1Api;

  beforeEach(async () => {
    kube = await KubeApiTestServer.start({ token: 'test-token', resources: devWorkspaceResources, namespaces: [ns] });
    const kc = new KubeConfig();
    kc.loadFromOptions(kube.kubeConfig());
    custom = kc.makeApiClient(CustomObjectsApi);
    core = kc.makeApiClient(CoreV1Api);
  });

  afterEach(async () => {
    await kube.stop();
  });

  it('creates with generateName and sets the system metadata', async () => {
    const created = await custom.createNamespacedCustomObject({ ...dw, namespace: ns, body: devWorkspace(undefined) });
    expect(created.metadata.name).toMatch(/^ws-[a-z0-9]{5}$/);
    expect(created.metadata.namespace).toBe(ns);
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.kind).toBe('DevWorkspace');

    const second = await custom.createNamespacedCustomObject({ ...dw, namespace: ns, body: devWorkspace(undefined) });
    expect(second.metadata.name).not.toBe(created.metadata.name);
    expect(Number(second.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));

    const got = await custom.getNamespacedCustomObject({ ...dw, namespace: ns, name: created.metadata.name });
    expect(got).toEqual(created);
    expect(kube.objects({ ...dw, namespace: ns }).map(o => o.metadata!.name).sort()).toEqual(
      [created.metadata.name, second.metadata.name].sort(),
    );
  });

  it('answers errors with Kubernetes Status bodies', async () => {
    await custom.createNamespacedCustomObject({ ...dw, namespace: ns, body: devWorkspace('one') });

    const dup = await statusOf(custom.createNamespacedCustomObject({ ...dw, namespace: ns, body: devWorkspace('one') }));
    expect(dup.code).toBe(409);
    expect(dup.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 409, reason: 'AlreadyExists',
      message: 'devworkspaces.workspace.devfile.io "one" already exists',
      details: { name: 'one', group: 'workspace.devfile.io', kind: 'devworkspaces' },
    });

    const missing = await statusOf(custom.getNamespacedCustomObject({ ...dw, namespace: ns, name: 'nope' }));
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({ reason: 'NotFound', message: 'devworkspaces.workspace.devfile.io "nope" not found' });

    const noNs = await statusOf(custom.createNamespacedCustomObject({ ...dw, namespace: 'ghost', body: devWorkspace('x') }));
    expect(noNs.code).toBe(404);
    expect(noNs.body).toMatchObject({ reason: 'NotFound', details: { name: 'ghost', kind: 'namespaces' } });

    const bad = await statusOf(custom.createNamespacedCustomObject({ ...dw, namespace: ns, body: devWorkspace('Bad_Name') }));
    expect(bad.code).toBe(422);
    expect(bad.body.reason).toBe('Invalid');
    expect(bad.body.details.causes[0]).toMatchObject({ field: 'metadata.name', reason: 'FieldValueInvalid' });

    const tooLong = await statusOf(custom.createNamespacedCustomObject({ ...dw, namespace: ns, body: devWorkspace('a'.repeat(64)) }));
    expect(tooLong.code).toBe(422);
    expect(tooLong.body.details.causes[0].message).toContain('must be no more than 63 characters');

    // DevWorkspaceTemplates follow the plain 253-character object-name rule.
    const longTemplate = await custom.createNamespacedCustomObject({
      ...dwt, namespace: ns,
      body: { apiVersion: 'workspace.devfile.io/v1alpha2', kind: 'DevWorkspaceTemplate', metadata: { name: 'a'.repeat(64) }, spec: {} },
    });
    expect(longTemplate.metadata.name).toHaveLength(64);

    expect(kube.objects({ ...dw, namespace: ns }).map(o => o.metadata!.name)).toEqual(['one']);
  });

  it('works from a kubeconfig file loaded with loadFromString, with a default namespace', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(kube.kubeConfigYaml(ns));
    expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe(ns);
    const list = await kc.makeApiClient(CoreV1Api).listNamespace();
    expect(list.items.map(n => n.metadata?.name)).toEqual([ns]);
  });

  it('seeds objects, status included, with createObject', async () => {
    kube.createObject({ ...dw, namespace: ns }, { ...devWorkspace('seeded'), status: { phase: 'Running', mainUrl: 'https://x/' } });
    const got = await custom.getNamespacedCustomObject({ ...dw, namespace: ns, name: 'seeded' });
    expect(got.status).toEqual({ phase: 'Running', mainUrl: 'https://x/' });
  });

  it('answers a wrong token with 401', async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({ ...kube.kubeConfig(), users: [{ name: 'kube-api-test-server', token: 'wrong' }] });
    const err = await statusOf(kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({ ...dw, namespace: ns }));
    expect(err.code).toBe(401);
  });

  it('lists with a label selector as a <Kind>List', async () => {
    await custom.createNamespacedCustomObject({ ...dw, namespace: ns, body: devWorkspace('a', { owner: 'alice', tier: 'x' }) });
    await custom.createNamespacedCustomObject({ ...dw, namespace: ns, body: devWorkspace('b', { owner: 'alice', tier: 'y' }) });
    await custom.createNamespacedCustomObject({ ...dw, namespace: ns, body: devWorkspace('c', { owner: 'bob' }) });

    const all = await custom.listNamespacedCustomObject({ ...dw, namespace: ns });
    expect(all.kind).toBe('DevWorkspaceList');
    expect(all.apiVersion).toBe('workspace.devfile.io/v1alpha2');
    expect(all.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(all.items.map((i: any) => i.metadata.name)).toEqual(['a', 'b', 'c']);

    const names = async (labelSelector: string) =>
      (await custom.listNamespacedCustomObject({ ...dw, namespace: ns, labelSelector })).items.map((i: any) => i.metadata.name);
    expect(await names('owner=alice')).toEqual(['a', 'b']);
    expect(await names('owner=alice,tier!=x')).toEqual(['b']);
    expect(await names('tier in (x, z)')).toEqual(['a']);
    expect(await names('tier notin (x)')).toEqual(['b', 'c']);
    expect(await names('!tier')).toEqual(['c']);

    const cluster = await custom.listClusterCustomObject({ ...dw });
    expect(cluster.items).toHaveLength(3);
  });

  it('applies JSON patches and merge patches with the given content type, and rejects others with 415', async () => {
    await custom.createNamespacedCustomObject({ ...dw, namespace: ns, body: devWorkspace('p') });

    const jsonPatched = await custom.patchNamespacedCustomObject(
      { ...dw, namespace: ns, name: 'p', body: [{ op: 'test', path: '/spec/started', value: false }, { op: 'replace', path: '/spec/started', value: true }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(jsonPatched.spec.started).toBe(true);
    expect(jsonPatched.metadata.generation).toBe(2);

    const merged = await custom.patchNamespacedCustomObject(
      { ...dw, namespace: ns, name: 'p', body: { metadata: { labels: { stage: 'dev' } }, spec: { started: false } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.metadata.labels).toEqual({ stage: 'dev' });
    expect(merged.spec.started).toBe(false);
    expect(merged.spec.template.components).toHaveLength(1);

    const failedTest = await statusOf(
      custom.patchNamespacedCustomObject(
        { ...dw, namespace: ns, name: 'p', body: [{ op: 'test', path: '/spec/started', value: true }, { op: 'remove', path: '/spec' }] },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      ),
    );
    expect(failedTest.code).toBe(422);
    expect(failedTest.body.reason).toBe('Invalid');

    const strategic = await statusOf(
      custom.patchNamespacedCustomObject(
        { ...dw, namespace: ns, name: 'p', body: { spec: { started: true } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(strategic.code).toBe(415);
    expect(strategic.body.reason).toBe('UnsupportedMediaType');

    const stale = await statusOf(
      custom.patchNamespacedCustomObject(
        { ...dw, namespace: ns, name: 'p', body: { metadata: { resourceVersion: '1' }, spec: { started: true } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(stale.code).toBe(409);
    expect(stale.body.reason).toBe('Conflict');

    // Nothing of the failed patches was applied.
    expect(kube.object({ ...dw, namespace: ns, name: 'p' })!.spec).toEqual(merged.spec);
    expect(kube.requests.filter(r => r.method === 'PATCH').map(r => r.contentType)).toEqual([
      PatchStrategy.JsonPatch, PatchStrategy.MergePatch, PatchStrategy.JsonPatch, PatchStrategy.StrategicMergePatch, PatchStrategy.MergePatch,
    ]);
  });

  it('replaces with PUT only at the current resourceVersion', async () => {
    const created = await custom.createNamespacedCustomObject({ ...dw, namespace: ns, body: devWorkspace('r') });
    const updated = await custom.replaceNamespacedCustomObject({
      ...dw, namespace: ns, name: 'r', body: { ...created, spec: { ...created.spec, started: true } },
    });
    expect(updated.spec.started).toBe(true);
    expect(updated.metadata.uid).toBe(created.metadata.uid);

    const stale = await statusOf(custom.replaceNamespacedCustomObject({ ...dw, namespace: ns, name: 'r', body: created }));
    expect(stale.code).toBe(409);
    expect(stale.body).toMatchObject({
      reason: 'Conflict',
      message: expect.stringContaining('the object has been modified'),
    });
  });

  it('deletes objects and returns a Success Status', async () => {
    const created = await custom.createNamespacedCustomObject({ ...dw, namespace: ns, body: devWorkspace('d') });
    const res = await custom.deleteNamespacedCustomObject({ ...dw, namespace: ns, name: 'd' });
    expect(res).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200,
      details: { name: 'd', group: 'workspace.devfile.io', kind: 'devworkspaces', uid: created.metadata.uid },
    });
    const again = await statusOf(custom.deleteNamespacedCustomObject({ ...dw, namespace: ns, name: 'd' }));
    expect(again.code).toBe(404);
  });

  it('manages namespaces through CoreV1Api', async () => {
    const created = await core.createNamespace({ body: { metadata: { name: 'bob-workspaces', labels: { team: 'b' } } } });
    expect(created.status?.phase).toBe('Active');
    // The API server labels every namespace with its own name (NamespaceDefaultLabelName).
    const nameLabel = { 'kubernetes.io/metadata.name': 'bob-workspaces' };
    expect((await core.readNamespace({ name: 'bob-workspaces' })).metadata?.labels).toEqual({ team: 'b', ...nameLabel });
    const listed = await core.listNamespace({ labelSelector: 'team=b' });
    expect(listed.items.map(n => n.metadata?.name)).toEqual(['bob-workspaces']);
    const byName = await core.listNamespace({ labelSelector: 'kubernetes.io/metadata.name=bob-workspaces' });
    expect(byName.items.map(n => n.metadata?.name)).toEqual(['bob-workspaces']);

    const patched = await core.patchNamespace(
      {
        name: 'bob-workspaces',
        body: {
          metadata: {
            labels: { 'app.kubernetes.io/part-of': 'che.eclipse.org', 'kubernetes.io/metadata.name': 'other' },
            annotations: { 'che.eclipse.org/username': 'bob' },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(patched.metadata?.labels).toEqual({ team: 'b', 'app.kubernetes.io/part-of': 'che.eclipse.org', ...nameLabel });
    expect(patched.metadata?.annotations).toEqual({ 'che.eclipse.org/username': 'bob' });
    expect(patched.status?.phase).toBe('Active');

    const dup = await statusOf(core.createNamespace({ body: { metadata: { name: ns } } }));
    expect(dup.code).toBe(409);
    const bad = await statusOf(core.createNamespace({ body: { metadata: { name: 'a'.repeat(64) } } }));
    expect(bad.code).toBe(422);

    await custom.createNamespacedCustomObject({ ...dw, namespace: 'bob-workspaces', body: devWorkspace('w') });
    await core.deleteNamespace({ name: 'bob-workspaces' });
    const gone = await statusOf(core.readNamespace({ name: 'bob-workspaces' }));
    expect(gone.code).toBe(404);
    expect(kube.objects({ ...dw, namespace: 'bob-workspaces' })).toEqual([]);
  });

  it('denies a namespace with 403 Forbidden', async () => {
    kube.createNamespace('kube-system');
    kube.denyNamespace('kube-system');
    const denied = await statusOf(custom.createNamespacedCustomObject({ ...dw, namespace: 'kube-system', body: devWorkspace('x') }));
    expect(denied.code).toBe(403);
    expect(denied.body).toMatchObject({
      reason: 'Forbidden',
      message: expect.stringContaining('cannot create resource "devworkspaces" in API group "workspace.devfile.io" in the namespace "kube-system"'),
    });
    expect(kube.objects({ ...dw, namespace: 'kube-system' })).toEqual([]);
    await expect(custom.listNamespacedCustomObject({ ...dw, namespace: ns })).resolves.toMatchObject({ items: [] });
  });
});
