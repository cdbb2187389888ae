/**
 * core/v1 ConfigMaps through the real @kubernetes/client-node: served by every API server, read
 * by che-launcher the way the Che dashboard reads Che's editor definitions (label selector).
 */
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { devWorkspaceResources, KubeApiTestServer } from './index';
import { clientsFor, statusOf } from './__testUtils__/testUtils';

const CHE = 'eclipse-che';
const EDITOR_SELECTOR = 'app.kubernetes.io/component=editor-definition,app.kubernetes.io/part-of=che.eclipse.org';

function configMap(name: string, labels: Record<string, string>, data: Record<string, unknown>) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data } as any;
}

describe('ConfigMaps', () => {
  let kube: KubeApiTestServer;
  let core: CoreV1Api;

  beforeEach(async () => {
    kube = await KubeApiTestServer.start({ token: 'test-token', resources: devWorkspaceResources, namespaces: [CHE, 'alice'] });
    core = clientsFor(kube).core;
  });

  afterEach(async () => {
    await kube.stop();
  });

  it('creates, lists by label selector, gets, patches, replaces and deletes', async () => {
    const editors = configMap(
      'editors-definitions',
      { 'app.kubernetes.io/component': 'editor-definition', 'app.kubernetes.io/part-of': 'che.eclipse.org' },
      { 'che-code-latest.yaml': 'schemaVersion: 2.2.2\n' },
    );
    const created = await core.createNamespacedConfigMap({ namespace: CHE, body: editors });
    expect(created.metadata).toMatchObject({ name: 'editors-definitions', namespace: CHE, resourceVersion: expect.any(String) });
    expect(created.data).toEqual({ 'che-code-latest.yaml': 'schemaVersion: 2.2.2\n' });
    await core.createNamespacedConfigMap({ namespace: CHE, body: configMap('other', { 'app.kubernetes.io/part-of': 'che.eclipse.org' }, {}) });
    await core.createNamespacedConfigMap({ namespace: 'alice', body: configMap('elsewhere', editors.metadata.labels, {}) });

    const selected = await core.listNamespacedConfigMap({ namespace: CHE, labelSelector: EDITOR_SELECTOR });
    expect(selected.kind).toBe('ConfigMapList');
    expect(selected.items.map(i => i.metadata?.name)).toEqual(['editors-definitions']);
    expect((await core.listNamespacedConfigMap({ namespace: CHE })).items).toHaveLength(2);
    const everywhere = await core.listConfigMapForAllNamespaces({ labelSelector: EDITOR_SELECTOR });
    expect(everywhere.items.map(i => `${i.metadata?.namespace}/${i.metadata?.name}`)).toEqual([
      'alice/elsewhere',
      `${CHE}/editors-definitions`,
    ]);

    const patched = await core.patchNamespacedConfigMap(
      { name: 'editors-definitions', namespace: CHE, body: { data: { 'che-idea.yaml': 'x: 1\n' } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(Object.keys(patched.data ?? {})).toEqual(['che-code-latest.yaml', 'che-idea.yaml']);
    const replaced = await core.replaceNamespacedConfigMap({
      name: 'editors-definitions',
      namespace: CHE,
      body: { ...patched, data: { only: 'one' } },
    });
    expect(replaced.data).toEqual({ only: 'one' });
    expect((await core.readNamespacedConfigMap({ name: 'editors-definitions', namespace: CHE })).data).toEqual({ only: 'one' });

    await core.deleteNamespacedConfigMap({ name: 'editors-definitions', namespace: CHE });
    const gone = await statusOf(core.readNamespacedConfigMap({ name: 'editors-definitions', namespace: CHE }));
    expect(gone.code).toBe(404);
    expect(gone.body).toMatchObject({ reason: 'NotFound', message: 'configmaps "editors-definitions" not found', details: { kind: 'configmaps' } });
  });

  it('answers 400 for a data value that is not a string and 422 for an invalid key, as the API server does', async () => {
    const notString = await statusOf(core.createNamespacedConfigMap({ namespace: CHE, body: configMap('bad', {}, { n: 1 }) }));
    expect(notString.code).toBe(400);
    expect(notString.body.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
    );

    const badKey = await statusOf(core.createNamespacedConfigMap({ namespace: CHE, body: configMap('bad', {}, { 'a/b': 'x' }) }));
    expect(badKey.code).toBe(422);
    expect(badKey.body.details.causes[0]).toMatchObject({ field: 'data[a/b]' });
    expect(badKey.body.details.causes[0].message).toContain('a valid config key must consist of alphanumeric characters');

    const tooBig = await statusOf(
      core.createNamespacedConfigMap({ namespace: CHE, body: configMap('big', {}, { big: 'x'.repeat(1024 * 1024) }) }),
    );
    expect(tooBig.code).toBe(422);
    expect(tooBig.body.details.causes[0]).toMatchObject({ reason: 'FieldValueTooLong', message: 'Too long: must have at most 1048576 bytes' });
    expect((await core.listNamespacedConfigMap({ namespace: CHE })).items).toEqual([]);
  });

  it('answers 404 for a missing namespace on create and 403 when the list is denied', async () => {
    const missing = await statusOf(core.createNamespacedConfigMap({ namespace: 'nope', body: configMap('x', {}, {}) }));
    expect(missing.code).toBe(404);
    expect(missing.body.details).toMatchObject({ name: 'nope', kind: 'namespaces' });

    kube.deny({ verb: 'list', plural: 'configmaps', scope: CHE });
    const denied = await statusOf(core.listNamespacedConfigMap({ namespace: CHE, labelSelector: EDITOR_SELECTOR }));
    expect(denied.code).toBe(403);
    expect(denied.body.message).toBe(
      'configmaps is forbidden: User "system:serviceaccount:default:test-client" cannot list resource "configmaps" in API group "" in the namespace "eclipse-che"',
    );
    expect((await core.listNamespacedConfigMap({ namespace: 'alice' })).items).toEqual([]);
  });

  it('lists configmaps in the core discovery document', async () => {
    const resources = await core.getAPIResources();
    expect(resources.resources.map(r => r.name)).toEqual(expect.arrayContaining(['namespaces', 'configmaps']));
    expect(resources.resources.find(r => r.name === 'configmaps')).toMatchObject({ namespaced: true, kind: 'ConfigMap' });
  });
});
