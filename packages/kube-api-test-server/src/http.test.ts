/** The raw HTTP surface with plain fetch: tokens, selectors, discovery, finalizers, GC, status subresource. */
import { devWorkspaceResources, KubeApiTestServer } from './index';

const ns = 'alice-workspaces';
const base = '/apis/workspace.devfile.io/v1alpha2';
const dwPath = `${base}/namespaces/${ns}/devworkspaces`;
const dwtPath = `${base}/namespaces/${ns}/devworkspacetemplates`;

describe('KubeApiTestServer over plain HTTP', () => {
  let kube: KubeApiTestServer;

  beforeEach(async () => {
    kube = await KubeApiTestServer.start({ token: 'test-token', resources: devWorkspaceResources, namespaces: [ns] });
  });

  afterEach(async () => {
    await kube.stop();
  });

  async function call(method: string, path: string, body?: unknown, contentType = 'application/json', token = 'test-token') {
    const res = await fetch(kube.url + path, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': contentType } : {}) },
      body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  const create = (name: string, extra: Record<string, unknown> = {}, path = dwPath, kind = 'DevWorkspace') =>
    call('POST', path, { apiVersion: 'workspace.devfile.io/v1alpha2', kind, metadata: { name, ...extra }, spec: {} });

  describe('authentication', () => {
    it.each([
      ['no token', undefined],
      ['a wrong token', 'Bearer nope'],
      ['a token without Bearer', 'test-token'],
      ['a Basic header', 'Basic dGVzdDp0ZXN0'],
    ])('answers %s with a 401 Status', async (_what, header) => {
      const res = await fetch(`${kube.url}${dwPath}`, { headers: header ? { Authorization: header } : {} });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401,
      });
    });

    it('protects writes and discovery too', async () => {
      expect((await call('POST', dwPath, { metadata: { name: 'x' } }, 'application/json', 'bad')).status).toBe(401);
      expect((await call('GET', '/apis', undefined, 'application/json', 'bad')).status).toBe(401);
      expect(kube.objects({ group: 'workspace.devfile.io', version: 'v1alpha2', plural: 'devworkspaces' })).toEqual([]);
    });
  });

  describe('label selectors', () => {
    beforeEach(async () => {
      await create('a', { labels: { app: 'web', 'example.com/tier': 'front' } });
      await create('b', { labels: { app: 'db', env: '' } });
      await create('c');
    });

    const select = async (selector: string) => {
      const res = await call('GET', `${dwPath}?labelSelector=${encodeURIComponent(selector)}`);
      expect(res.status).toBe(200);
      return res.body.items.map((i: any) => i.metadata.name);
    };

    it.each([
      ['', ['a', 'b', 'c']],
      ['app', ['a', 'b']],
      ['!app', ['c']],
      ['app=web', ['a']],
      ['app==web', ['a']],
      ['app!=web', ['b', 'c']],
      ['app in (web,db)', ['a', 'b']],
      ['app in ( web , nope )', ['a']],
      ['app notin (web)', ['b', 'c']],
      ['example.com/tier=front', ['a']],
      ['env=', ['b']],
      ['env', ['b']],
      ['app=web,example.com/tier=front', ['a']],
      ['app=web,!example.com/tier', []],
      ['app in (web,db),app!=db', ['a']],
      [' app = web ', ['a']],
    ])('%j selects %j', async (selector, expected) => {
      expect(await select(selector)).toEqual(expected);
    });

    it.each(['app in ()', 'app in (web', 'app=web,', ',app', '=web', 'app=we b', 'app===web', 'a/b/c=x', 'app=-web'])(
      'rejects %j with a 400 BadRequest Status',
      async selector => {
        const res = await call('GET', `${dwPath}?labelSelector=${encodeURIComponent(selector)}`);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
      },
    );

    it('filters by fieldSelector on metadata.name', async () => {
      const res = await call('GET', `${dwPath}?fieldSelector=${encodeURIComponent('metadata.name!=a')}`);
      expect(res.body.items.map((i: any) => i.metadata.name)).toEqual(['b', 'c']);
    });
  });

  describe('request validation', () => {
    it('rejects bodies that are not JSON, non-JSON content types and mismatched kinds', async () => {
      expect((await call('POST', dwPath, '{not json')).status).toBe(400);
      expect((await call('POST', dwPath, 'name: x', 'application/yaml')).body.reason).toBe('UnsupportedMediaType');
      expect((await call('POST', dwPath, { apiVersion: 'v1', kind: 'DevWorkspace', metadata: { name: 'x' } })).status).toBe(400);
      expect((await create('x', {}, dwPath, 'Pod')).status).toBe(400);
      expect((await call('POST', dwPath, { metadata: { name: 'x', namespace: 'other' } })).status).toBe(400);
      const noName = await call('POST', dwPath, { metadata: {} });
      expect(noName.status).toBe(422);
      expect(noName.body.details.causes[0]).toMatchObject({ field: 'metadata.name', reason: 'FieldValueRequired' });
      const badLabel = await create('x', { labels: { app: 'user:default/jane' } });
      expect(badLabel.status).toBe(422);
      expect(badLabel.body.details.causes[0].field).toBe('metadata.labels[app]');
      expect(kube.objects({ group: 'workspace.devfile.io', version: 'v1alpha2', plural: 'devworkspaces' })).toEqual([]);
    });

    it('fills in apiVersion and kind when the body leaves them out', async () => {
      const res = await call('POST', dwPath, { metadata: { name: 'bare' } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ apiVersion: 'workspace.devfile.io/v1alpha2', kind: 'DevWorkspace' });
    });

    it('answers unknown paths with 404 and unsupported methods with 405', async () => {
      expect((await call('GET', '/apis/apps/v1/namespaces/x/deployments')).body).toMatchObject({ reason: 'NotFound', code: 404 });
      expect((await call('GET', `${base}/namespaces/${ns}/devworkspacetemplates/x/status`)).status).toBe(404);
      expect((await call('DELETE', dwPath)).status).toBe(405);
      expect((await call('POST', `${base}/devworkspaces`, { metadata: { name: 'x' } })).status).toBe(405);
    });

    it('rejects a PUT without resourceVersion or with another name', async () => {
      const created = (await create('p')).body;
      const { resourceVersion: _rv, ...metadata } = created.metadata;
      expect((await call('PUT', `${dwPath}/p`, { ...created, metadata })).status).toBe(422);
      expect((await call('PUT', `${dwPath}/p`, { ...created, metadata: { ...created.metadata, name: 'q' } })).status).toBe(400);
    });
  });

  describe('discovery', () => {
    it('serves /api, /apis, the group and its resources', async () => {
      expect((await call('GET', '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
      expect((await call('GET', '/apis')).body.groups).toEqual([
        expect.objectContaining({ name: 'workspace.devfile.io', preferredVersion: { groupVersion: 'workspace.devfile.io/v1alpha2', version: 'v1alpha2' } }),
      ]);
      expect((await call('GET', '/apis/workspace.devfile.io')).body).toMatchObject({ kind: 'APIGroup', name: 'workspace.devfile.io' });
      const list = (await call('GET', base)).body;
      expect(list.kind).toBe('APIResourceList');
      expect(list.resources.map((r: any) => r.name)).toEqual(['devworkspaces', 'devworkspaces/status', 'devworkspacetemplates']);
      expect((await call('GET', '/api/v1')).body.resources[0]).toMatchObject({ name: 'namespaces', kind: 'Namespace', namespaced: false });
      expect((await call('GET', '/version')).body.major).toBe('1');
    });
  });

  describe('finalizers and deletion', () => {
    it('keeps an object with finalizers until they are removed', async () => {
      await create('f', { finalizers: ['example.com/hold'] });
      const del = await call('DELETE', `${dwPath}/f`);
      expect(del.status).toBe(200);
      expect(del.body.metadata.deletionTimestamp).toBeDefined();
      const again = await call('DELETE', `${dwPath}/f`);
      expect(again.body.metadata.deletionTimestamp).toBe(del.body.metadata.deletionTimestamp);

      const addMore = await call('PATCH', `${dwPath}/f`, { metadata: { finalizers: ['example.com/hold', 'example.com/more'] } }, 'application/merge-patch+json');
      expect(addMore.status).toBe(422);
      const unset = await call('PATCH', `${dwPath}/f`, [{ op: 'remove', path: '/metadata/deletionTimestamp' }], 'application/json-patch+json');
      expect(unset.body.metadata.deletionTimestamp).toBe(del.body.metadata.deletionTimestamp);
      expect((await call('GET', `${dwPath}/f`)).status).toBe(200);

      const release = await call('PATCH', `${dwPath}/f`, [{ op: 'remove', path: '/metadata/finalizers' }], 'application/json-patch+json');
      expect(release.status).toBe(200);
      expect((await call('GET', `${dwPath}/f`)).status).toBe(404);
    });

    it('checks delete preconditions', async () => {
      await create('pre');
      const res = await call('DELETE', `${dwPath}/pre`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'other' } });
      expect(res.status).toBe(409);
      expect((await call('GET', `${dwPath}/pre`)).status).toBe(200);
    });

    it('garbage-collects dependents once all their owners are gone, and orphans on request', async () => {
      const a = (await create('owner-a')).body;
      const b = (await create('owner-b')).body;
      const ref = (o: any) => ({ apiVersion: 'workspace.devfile.io/v1alpha2', kind: 'DevWorkspace', name: o.metadata.name, uid: o.metadata.uid });
      await create('only-a', { ownerReferences: [ref(a)] }, dwtPath, 'DevWorkspaceTemplate');
      await create('both', { ownerReferences: [ref(a), ref(b)] }, dwtPath, 'DevWorkspaceTemplate');
      await create('held', { ownerReferences: [ref(a)], finalizers: ['example.com/hold'] }, dwtPath, 'DevWorkspaceTemplate');
      const c = (await create('owner-c')).body;
      await create('orphan', { ownerReferences: [ref(c)] }, dwtPath, 'DevWorkspaceTemplate');

      await call('DELETE', `${dwPath}/owner-a`);
      const names = async () => (await call('GET', dwtPath)).body.items.map((i: any) => i.metadata.name);
      expect(await names()).toEqual(['both', 'held', 'orphan']);
      expect((await call('GET', `${dwtPath}/held`)).body.metadata.deletionTimestamp).toBeDefined();

      await call('DELETE', `${dwPath}/owner-b`);
      expect(await names()).toEqual(['held', 'orphan']);

      await call('DELETE', `${dwPath}/owner-c?propagationPolicy=Orphan`);
      const orphan = (await call('GET', `${dwtPath}/orphan`)).body;
      expect(orphan.metadata.ownerReferences).toBeUndefined();
    });

    it('deletes a namespace with its content, staying Terminating while finalizers hold content', async () => {
      await create('held', { finalizers: ['example.com/hold'] });
      await create('free');
      const del = await call('DELETE', `/api/v1/namespaces/${ns}`);
      expect(del.body.status.phase).toBe('Terminating');
      expect((await call('GET', dwPath)).body.items.map((i: any) => i.metadata.name)).toEqual(['held']);
      expect((await create('late')).status).toBe(403);
      await call('PATCH', `${dwPath}/held`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
      expect((await call('GET', `/api/v1/namespaces/${ns}`)).status).toBe(404);
    });
  });

  describe('status subresource', () => {
    it('changes status only through /status, and nothing else there', async () => {
      const created = await call('POST', dwPath, { metadata: { name: 's' }, spec: { started: false }, status: { phase: 'Running' } });
      expect(created.body.status).toBeUndefined();

      const viaMain = await call('PATCH', `${dwPath}/s`, { status: { phase: 'Running' } }, 'application/merge-patch+json');
      expect(viaMain.body.status).toBeUndefined();

      const viaStatus = await call('PATCH', `${dwPath}/s/status`, { status: { phase: 'Running' }, spec: { started: true } }, 'application/merge-patch+json');
      expect(viaStatus.status).toBe(200);
      expect(viaStatus.body.status).toEqual({ phase: 'Running' });
      expect(viaStatus.body.spec.started).toBe(false);
      expect(viaStatus.body.metadata.generation).toBe(1);
      expect((await call('GET', `${dwPath}/s/status`)).body.status).toEqual({ phase: 'Running' });
    });
  });

  it('denies every request in a denied namespace, including the namespace itself', async () => {
    kube.createNamespace('kube-system');
    kube.denyNamespace('kube-system');
    const sys = `${base}/namespaces/kube-system/devworkspaces`;
    const list = await call('GET', sys);
    expect(list.status).toBe(403);
    expect(list.body.message).toBe(
      'devworkspaces.workspace.devfile.io is forbidden: User "system:serviceaccount:default:test-client" cannot list resource "devworkspaces" in API group "workspace.devfile.io" in the namespace "kube-system"',
    );
    expect((await call('GET', `${sys}/x`)).body).toMatchObject({ reason: 'Forbidden', details: { name: 'x', kind: 'devworkspaces' } });
    expect((await call('DELETE', `${sys}/x`)).status).toBe(403);
    expect((await call('GET', '/api/v1/namespaces/kube-system')).status).toBe(403);
    kube.allowNamespace('kube-system');
    expect((await call('GET', sys)).status).toBe(200);
  });

  it('records requests with method, path, query and content type', async () => {
    kube.clearRequests();
    const before = kube.requestsReceived;
    await call('GET', `${dwPath}?labelSelector=app%3Dweb`);
    await call('PATCH', `${dwPath}/x`, [], 'application/json-patch+json');
    expect(kube.requestsReceived - before).toBe(2);
    expect(kube.requests).toEqual([
      { method: 'GET', path: dwPath, query: { labelSelector: 'app=web' } },
      { method: 'PATCH', path: `${dwPath}/x`, query: {}, contentType: 'application/json-patch+json' },
    ]);
  });
});
