import { KubeApiTestServer, namespaceResource } from '@fawkes/kube-api-test-server';
import {
  checked,
  DW,
  devfileUrl,
  goldenDevfile,
  KUBE_TOKEN,
  objectsOf,
  startCheLauncher,
  startKube,
  user,
} from './__testUtils__/harness';

jest.setTimeout(30_000);

/**
 * Every status the Kubernetes API can answer maps to a documented status with a clear message
 * (README "Kubernetes answers"): never a masked 500, never the token or upstream text.
 */
describe('che-launcher: Kubernetes answers map to documented statuses', () => {
  let kube: KubeApiTestServer;
  let server: any;
  let stopBackend: () => Promise<void>;

  beforeAll(async () => {
    kube = await startKube(['grace-workspaces'], { startDelayMs: 50, stopDelayMs: 50 });
    const backend = await startCheLauncher({
      kube,
      files: { '/goldenpath-python.yaml': { body: goldenDevfile } },
    });
    server = backend.server;
    stopBackend = () => backend.stop();
  });

  afterEach(() => {
    kube.faults.clear();
    kube.allowAll();
  });

  afterAll(async () => {
    await stopBackend?.();
    await kube?.stop();
  });

  const list = () =>
    checked(server).get('/api/che-launcher/workspaces').set('Authorization', user('grace'));
  const create = (name: string) =>
    checked(server)
      .post('/api/che-launcher/workspaces')
      .set('Authorization', user('grace'))
      .send({ devfileUrl: devfileUrl('goldenpath-python.yaml'), name });
  const names = () =>
    objectsOf(kube, { ...DW, namespace: 'grace-workspaces' }).map(o => o.metadata.name);

  function expectNoSecrets(body: unknown) {
    const text = JSON.stringify(body);
    expect(text).not.toContain(KUBE_TOKEN);
    expect(text).not.toMatch(/system:serviceaccount|is forbidden|injected/);
  }

  it('names the verb and resource the service account lacks when the cluster-wide list is forbidden', async () => {
    kube.deny({ verb: 'list', plural: 'devworkspaces', scope: 'cluster' });
    const res = await list();
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error:
        "The plugin's service account may not list devworkspaces.workspace.devfile.io at the cluster scope; grant it in the plugin's ClusterRole (see the che-launcher README)",
    });
    expectNoSecrets(res.body);

    // The create checks the user's limits with the same list first.
    const created = await create('forbidden-list');
    expect(created.status).toBe(503);
    expect(created.body.error).toMatch(/may not list devworkspaces\.workspace\.devfile\.io/);
    expect(names()).not.toContain('forbidden-list');
  });

  it('names the namespace when creating there is forbidden', async () => {
    kube.deny({ verb: 'create', plural: 'devworkspaces', scope: 'grace-workspaces' });
    const res = await create('forbidden-create');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error:
        "The plugin's service account may not create devworkspaces.workspace.devfile.io in namespace 'grace-workspaces'; grant it in the plugin's ClusterRole (see the che-launcher README)",
    });
    expect(names()).not.toContain('forbidden-create');
  });

  it('answers 503 naming the missing API when the DevWorkspace resource is not served (404)', async () => {
    kube.faults.set({ status: 404, match: { method: 'GET', path: /^\/apis\/workspace\.devfile\.io\/v1alpha2\/devworkspaces$/ } });
    const res = await list();
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error:
        'The cluster does not serve devworkspaces.workspace.devfile.io/v1alpha2; is the DevWorkspace Operator installed?',
    });
    expect((await create('no-api')).status).toBe(503);
  });

  it.each([409, 422, 400, 405])('answers 503, not 500, when the list answers %i', async code => {
    kube.faults.set({ status: code, match: { method: 'GET', path: /devworkspaces$/ } });
    const res = await list();
    expect(res.status).toBe(503);
    expect(res.body.error).toMatch(
      new RegExp(`^The Kubernetes API refused to list devworkspaces\\.workspace\\.devfile\\.io \\(${code}\\)`),
    );
    expectNoSecrets(res.body);
    const created = await create(`list-${code}`);
    expect(created.status).toBe(503);
    expect(names()).not.toContain(`list-${code}`);
  });

  it('answers 409 when the namespace is being deleted', async () => {
    kube.createNamespace('tmp-workspaces');
    kube.createObject({ ...DW, namespace: 'tmp-workspaces' }, {
      apiVersion: 'workspace.devfile.io/v1alpha2',
      kind: 'DevWorkspace',
      metadata: { name: 'blocker', finalizers: ['example.com/hold'] },
      spec: { started: false },
    });
    kube.store.delete(namespaceResource, undefined, 'tmp-workspaces');
    const backend = await startCheLauncher({
      kube,
      files: { '/goldenpath-python.yaml': { body: goldenDevfile } },
      cheLauncher: { namespaceTemplate: 'tmp-workspaces-{user}', allowedNamespaces: ['tmp-workspaces'], limits: { maxRunningWorkspacesPerUser: -1 } },
    });
    try {
      const res = await checked(backend.server)
        .post('/api/che-launcher/workspaces')
        .set('Authorization', user('grace'))
        .send({ devfileUrl: devfileUrl('goldenpath-python.yaml'), name: 'late', namespace: 'tmp-workspaces' });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: "Namespace 'tmp-workspaces' is being deleted; try again later" });
    } finally {
      await backend.stop();
    }
  });
});
