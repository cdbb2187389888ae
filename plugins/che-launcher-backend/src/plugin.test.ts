import { KubeApiTestServer } from '@fawkes/kube-api-test-server';
import {
  checked,
  DW,
  DWT,
  devfileUrl,
  eventually,
  objectsOf,
  goldenDevfile,
  service,
  startCheLauncher,
  startKube,
  user,
} from './__testUtils__/harness';

// These stories wait for several simulated controller transitions (each through eventually(),
// up to 5 s): more than Jest's 5 s default per test when a 2-core machine runs the whole suite.
jest.setTimeout(30_000);

describe('che-launcher: the whole story over HTTP', () => {
  let kube: KubeApiTestServer;
  let server: any;
  let stopBackend: () => Promise<void>;

  beforeAll(async () => {
    kube = await startKube(['alice-workspaces', 'bob-workspaces', 'carol-workspaces', 'hank-workspaces']);
    const backend = await startCheLauncher({
      kube,
      files: { '/goldenpath-python.yaml': { body: goldenDevfile } },
      cheLauncher: { limits: { maxWorkspacesPerUser: 3, maxRunningWorkspacesPerUser: 2 } },
    });
    server = backend.server;
    stopBackend = () => backend.stop();
  });

  afterAll(async () => {
    await stopBackend?.();
    await kube?.stop();
  });

  const get = (path: string, auth = user('alice')) =>
    checked(server).get(`/api/che-launcher${path}`).set('Authorization', auth);
  const post = (path: string, body: object | undefined, auth = user('alice')) =>
    checked(server).post(`/api/che-launcher${path}`).set('Authorization', auth).send(body);
  const del = (path: string, auth = user('alice')) =>
    checked(server).delete(`/api/che-launcher${path}`).set('Authorization', auth);

  async function listed(auth = user('alice'), query = '') {
    const res = await get(`/workspaces${query}`, auth);
    expect(res.status).toBe(200);
    return res.body as { workspaces: any[]; total: number };
  }

  it('creates, lists, stops, starts and deletes a workspace', async () => {
    // Create → 201 with exactly the document's body.
    const created = await post('/workspaces', {
      devfileUrl: devfileUrl('goldenpath-python.yaml'),
      name: 'my-python-workspace',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      workspaceId: 'alice-workspaces.my-python-workspace',
      name: 'my-python-workspace',
      status: 'Starting',
      ideUrl: 'https://che.example.com/dashboard/#/ide/alice-workspaces/my-python-workspace',
      devfile: { name: 'goldenpath-python', version: '1.0.0' },
    });
    const { workspaceId } = created.body;

    // What the cluster got: the Che dashboard's flow and metadata.
    const [dw] = objectsOf(kube, { ...DW, namespace: 'alice-workspaces' });
    expect(dw.metadata.name).toBe('my-python-workspace');
    expect((dw as any).spec.started).toBe(true);
    expect((dw as any).spec.routingClass).toBe('che');
    expect(dw.metadata.labels).toMatchObject({
      'controller.devfile.io/devworkspace-source': 'backstage',
      'app.kubernetes.io/managed-by': 'backstage-che-launcher',
    });
    expect(dw.metadata.annotations).toMatchObject({
      'che.eclipse.org/devfile': goldenDevfile,
      'che.eclipse.org/che-editor': 'che-incubator/che-code/latest',
      'che-launcher.fawkes.io/owner': 'user:default/alice',
    });
    expect(dw.metadata.annotations!['che.eclipse.org/last-updated-timestamp']).toMatch(/^\d{4}-\d\d-\d\dT/);
    const [dwt] = objectsOf(kube, { ...DWT, namespace: 'alice-workspaces' });
    expect(dwt.metadata.name).toBe('che-code-my-python-workspace');
    expect(dwt.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'DevWorkspace', name: 'my-python-workspace', uid: dw.metadata.uid }),
    ]);
    const writes = kube.requests.filter(r => r.method !== 'GET');
    expect(writes.map(r => `${r.method} ${r.path.split('/').slice(-1)[0]}`)).toEqual([
      'POST devworkspaces',
      'POST devworkspacetemplates',
      'PATCH my-python-workspace',
    ]);
    expect(writes[2].contentType).toBe('application/json-patch+json');

    // Listed as Starting, then Running with ideUrl = mainUrl.
    const starting = await listed();
    expect(starting.total).toBe(1);
    expect(starting.workspaces[0]).toMatchObject({ workspaceId, status: 'Starting' });
    const running = await eventually(async () => {
      const { workspaces } = await listed();
      return workspaces[0].status === 'Running' && workspaces[0];
    });
    const mainUrl = (objectsOf(kube, { ...DW, namespace: 'alice-workspaces' })[0] as any).status.mainUrl;
    expect(mainUrl).toMatch(/^https:\/\//);
    expect(running).toEqual({
      workspaceId,
      name: 'my-python-workspace',
      status: 'Running',
      ideUrl: mainUrl,
      devfile: { name: 'goldenpath-python', version: '1.0.0' },
      createdAt: dw.metadata.creationTimestamp,
      lastUsed: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      phase: 'Running',
      // DWO's status.message while running is the main URL.
      statusMessage: mainUrl,
      namespace: 'alice-workspaces',
      owner: 'user:default/alice',
    });

    // Status filter.
    expect((await listed(user('alice'), '?status=Running')).total).toBe(1);
    expect((await listed(user('alice'), '?status=Stopped')).total).toBe(0);
    const badFilter = await get('/workspaces?status=Paused');
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error).toMatch(/status/);

    // Read one.
    const one = await get(`/workspaces/${workspaceId}`);
    expect(one.status).toBe(200);
    expect(one.body.status).toBe('Running');

    // Another user can neither see, start, stop nor delete it.
    expect((await listed(user('bob'))).total).toBe(0);
    for (const res of [
      await get(`/workspaces/${workspaceId}`, user('bob')),
      await del(`/workspaces/${workspaceId}`, user('bob')),
      await post(`/workspaces/${workspaceId}/stop`, undefined, user('bob')),
      await post(`/workspaces/${workspaceId}/start`, undefined, user('bob')),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Workspace not found' });
    }
    expect(objectsOf(kube, { ...DW, namespace: 'alice-workspaces' })).toHaveLength(1);

    // Same name again → 409.
    const again = await post('/workspaces', {
      devfileUrl: devfileUrl('goldenpath-python.yaml'),
      name: 'my-python-workspace',
    });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: "Workspace with name 'my-python-workspace' already exists" });

    // Stop → Stopping → Stopped; start → Starting → Running.
    const stopping = await post(`/workspaces/${workspaceId}/stop`, undefined);
    expect(stopping.status).toBe(200);
    expect(stopping.body.status).toBe('Stopping');
    await eventually(async () => (await get(`/workspaces/${workspaceId}`)).body.status === 'Stopped');
    expect((await get(`/workspaces/${workspaceId}`)).body.ideUrl).toBe(
      'https://che.example.com/dashboard/#/ide/alice-workspaces/my-python-workspace',
    );
    const lastPatch = kube.requests.filter(r => r.method === 'PATCH').pop()!;
    expect(lastPatch.contentType).toBe('application/json-patch+json');
    const startedAgain = await post(`/workspaces/${workspaceId}/start`, undefined);
    expect(startedAgain.status).toBe(200);
    expect(startedAgain.body.status).toBe('Starting');
    await eventually(async () => (await get(`/workspaces/${workspaceId}`)).body.status === 'Running');

    // Delete → 204, then gone (the DevWorkspaceTemplate is garbage-collected with it).
    const deleted = await del(`/workspaces/${workspaceId}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await get(`/workspaces/${workspaceId}`)).status).toBe(404);
    expect((await del(`/workspaces/${workspaceId}`)).body).toEqual({ error: 'Workspace not found' });
    expect((await listed()).total).toBe(0);
    await eventually(async () =>
      objectsOf(kube, { ...DW, namespace: 'alice-workspaces' }).length === 0 &&
      objectsOf(kube, { ...DWT, namespace: 'alice-workspaces' }).length === 0,
    );
  });

  it('names workspaces after the devfile when no name is given', async () => {
    const res = await post('/workspaces', { devfileUrl: devfileUrl('goldenpath-python.yaml') }, user('bob'));
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('goldenpath-python');
    expect(res.body.workspaceId).toBe(`bob-workspaces.${res.body.name}`);
    expect((await del(`/workspaces/${res.body.workspaceId}`, user('bob'))).status).toBe(204);
  });

  it('enforces the per-user limits', async () => {
    const carol = user('carol');
    const create = (name: string) =>
      post('/workspaces', { devfileUrl: devfileUrl('goldenpath-python.yaml'), name }, carol);
    expect((await create('ws-1')).status).toBe(201);
    expect((await create('ws-2')).status).toBe(201);

    // Two running (or starting): a third would exceed maxRunningWorkspacesPerUser = 2.
    const third = await create('ws-3');
    expect(third.status).toBe(409);
    expect(third.body.error).toMatch(/Running workspace limit reached: .*at most 2/);
    expect(objectsOf(kube, { ...DW, namespace: 'carol-workspaces' })).toHaveLength(2);

    expect((await post('/workspaces/carol-workspaces.ws-1/stop', undefined, carol)).status).toBe(200);
    expect((await create('ws-3')).status).toBe(201);

    // Starting ws-1 again would be a third running one.
    const restart = await post('/workspaces/carol-workspaces.ws-1/start', undefined, carol);
    expect(restart.status).toBe(409);
    expect(restart.body.error).toMatch(/Running workspace limit reached/);

    // Three workspaces in total is the maximum.
    expect((await post('/workspaces/carol-workspaces.ws-2/stop', undefined, carol)).status).toBe(200);
    const fourth = await create('ws-4');
    expect(fourth.status).toBe(409);
    expect(fourth.body.error).toMatch(/Workspace limit reached: .*at most 3/);
    expect(objectsOf(kube, { ...DW, namespace: 'carol-workspaces' })).toHaveLength(3);

    // Deleting one frees a slot.
    expect((await del('/workspaces/carol-workspaces.ws-2', carol)).status).toBe(204);
    expect((await create('ws-4')).status).toBe(201);
  });

  it('holds the limits against concurrent creates of one user', async () => {
    const results = await Promise.all(
      ['c-1', 'c-2', 'c-3', 'c-4'].map(name =>
        post('/workspaces', { devfileUrl: devfileUrl('goldenpath-python.yaml'), name }, user('hank')),
      ),
    );
    expect(results.map(r => r.status).sort()).toEqual([201, 201, 409, 409]);
    expect(objectsOf(kube, { ...DW, namespace: 'hank-workspaces' })).toHaveLength(2);
    for (const name of ['c-1', 'c-2', 'c-3', 'c-4']) {
      await del(`/workspaces/hank-workspaces.${name}`, user('hank'));
    }
  });

  it('lets service callers list every managed workspace, filtered by owner', async () => {
    const all = await listed(service());
    const owners = new Set(all.workspaces.map(w => w.owner));
    expect(owners).toEqual(new Set(['user:default/carol']));
    expect(all.total).toBe(3);
    expect((await listed(service(), '?owner=user:default/carol')).total).toBe(3);
    expect((await listed(service(), '?owner=user:default/alice')).total).toBe(0);
    const bad = await get('/workspaces?owner=group:default/team', service());
    expect(bad.status).toBe(400);

    // A user may not list someone else's workspaces.
    const foreign = await get('/workspaces?owner=user:default/carol', user('alice'));
    expect(foreign.status).toBe(403);

    // Services may read and delete any managed workspace, but not create one.
    expect((await get('/workspaces/carol-workspaces.ws-4', service())).status).toBe(200);
    expect((await del('/workspaces/carol-workspaces.ws-4', service())).status).toBe(204);
    const create = await post('/workspaces', { devfileUrl: devfileUrl('goldenpath-python.yaml') }, service());
    expect(create.status).toBe(403);
  });

  it('does not show DevWorkspaces it does not manage', async () => {
    kube.createObject(
      { ...DW, namespace: 'alice-workspaces' },
      {
        apiVersion: 'workspace.devfile.io/v1alpha2',
        kind: 'DevWorkspace',
        metadata: { name: 'handmade', annotations: { 'che-launcher.fawkes.io/owner': 'user:default/alice' } },
        spec: { started: false },
      } as any,
    );
    expect((await get('/workspaces/alice-workspaces.handmade')).status).toBe(404);
    expect((await del('/workspaces/alice-workspaces.handmade')).status).toBe(404);
    expect((await listed()).workspaces.map(w => w.name)).not.toContain('handmade');
    expect(objectsOf(kube, { ...DW, namespace: 'alice-workspaces' }).map(o => o.metadata.name)).toContain('handmade');
  });
});

describe('che-launcher: failed workspaces', () => {
  let kube: KubeApiTestServer;
  let backend: Awaited<ReturnType<typeof startCheLauncher>>;

  beforeAll(async () => {
    kube = await startKube(['gina-workspaces'], { startDelayMs: 1000, stopDelayMs: 100 });
    backend = await startCheLauncher({
      kube,
      files: {
        '/broken.yaml': {
          body: goldenDevfile.replace(
            'quay.io/devfile/universal-developer-image:ubi8-latest',
            'registry.example.com/broken-image:1',
          ),
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await kube?.stop();
  });

  it('shows a failed start as Failed (never Stopped) with the operator message, and restarts it on start', async () => {
    const api = (method: 'get' | 'post', path: string) =>
      checked(backend.server)[method](`/api/che-launcher${path}`).set('Authorization', user('gina'));
    const created = await api('post', '/workspaces').send({ devfileUrl: devfileUrl('broken.yaml'), name: 'broken' });
    expect(created.status).toBe(201);
    const failed = await eventually(async () => {
      const res = await api('get', '/workspaces/gina-workspaces.broken');
      return res.body.phase === 'Failed' && res.body;
    });
    expect(failed.status).toBe('Failed');
    expect(failed.statusMessage).toBe('Container python has state ErrImagePull');
    expect(failed.ideUrl).toBe('https://che.example.com/dashboard/#/ide/gina-workspaces/broken');
    // The status filter knows Che's states.
    const listed = await api('get', '/workspaces?status=Failed');
    expect(listed.status).toBe(200);
    expect(listed.body.workspaces.map((w: any) => w.name)).toEqual(['broken']);
    // Stopping a failed workspace keeps it Failed.
    expect((await api('post', '/workspaces/gina-workspaces.broken/stop')).body.status).toBe('Failed');

    // A failed workspace does not count as running, and start really restarts it.
    kube.clearRequests();
    const restarted = await api('post', '/workspaces/gina-workspaces.broken/start');
    expect(restarted.status).toBe(200);
    expect(restarted.body.status).toBe('Starting');
    // The operator already set spec.started=false on failure: one start patch.
    const patches = kube.requests.filter(r => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    // The controller really started it again (it fails again later: the image is still broken).
    expect((await api('get', '/workspaces/gina-workspaces.broken')).body.phase).toBe('Starting');
    await eventually(async () => (await api('get', '/workspaces/gina-workspaces.broken')).body.phase === 'Failed');
  });
});
