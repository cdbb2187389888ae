/**
 * Workspace reads served from the DevWorkspace informer, over HTTP against the Kubernetes API
 * test server: no API-server call per list once synced, a caller's own writes visible in their
 * next read while the watch lags, direct lists while the watch is broken.
 */
import { KubeApiTestServer } from '@fawkes/kube-api-test-server';
import {
  checked,
  devfileUrl,
  eventually,
  goldenDevfile,
  startCheLauncher,
  startKube,
  user,
} from './__testUtils__/harness';

jest.setTimeout(30_000);

describe('che-launcher: reads from the informer', () => {
  let kube: KubeApiTestServer;
  let server: any;
  let stopBackend: () => Promise<void>;

  beforeAll(async () => {
    kube = await startKube(['ivy-workspaces', 'jay-workspaces'], { startDelayMs: 50, stopDelayMs: 50 });
    const backend = await startCheLauncher({
      kube,
      files: { '/goldenpath-python.yaml': { body: goldenDevfile } },
      cheLauncher: { limits: { maxWorkspacesPerUser: 5, maxRunningWorkspacesPerUser: 5 } },
    });
    server = backend.server;
    stopBackend = () => backend.stop();
    await eventually(async () => kube.openWatches() === 1);
  });

  afterEach(() => {
    kube.faults.clear();
    kube.setWatchEventDelay(0);
  });

  afterAll(async () => {
    await stopBackend?.();
    await kube?.stop();
  });

  const api = (method: 'get' | 'post' | 'delete', path: string, who = 'ivy') =>
    checked(server)[method](`/api/che-launcher${path}`).set('Authorization', user(who));
  const create = (name: string, who = 'ivy') =>
    api('post', '/workspaces', who).send({ devfileUrl: devfileUrl('goldenpath-python.yaml'), name });
  /**
   * Requests that read DevWorkspaces other than through the watch. Not counted: the limit check's
   * list of every DevWorkspace in the user's own namespace (Che counts the dashboard's too, and
   * the informer holds only the plugin's).
   */
  const directReads = () =>
    kube.requests.filter(
      r =>
        r.method === 'GET' &&
        !r.query.watch &&
        r.path.includes('/devworkspaces') &&
        !(r.query.labelSelector === '' && /\/namespaces\/[^/]+\/devworkspaces$/.test(r.path)),
    );
  const listedNames = async (who = 'ivy') => {
    const res = await api('get', '/workspaces', who);
    expect(res.status).toBe(200);
    return (res.body.workspaces as any[]).map(w => `${w.name}:${w.status}`).sort();
  };

  it('lists, counts limits and reads one workspace without calling the API server', async () => {
    expect((await create('cached-one')).status).toBe(201);
    await eventually(async () => (await listedNames()).includes('cached-one:Running'));
    kube.clearRequests();

    for (let i = 0; i < 5; i++) expect(await listedNames()).toEqual(['cached-one:Running']);
    expect((await api('get', '/workspaces/ivy-workspaces.cached-one')).body.status).toBe('Running');
    expect(directReads()).toEqual([]);

    // The create's limit check counted from memory too; only writes reached the API server.
    expect((await create('cached-two')).status).toBe(201);
    expect(directReads()).toEqual([]);
    expect(kube.requests.filter(r => r.method !== 'GET').length).toBeGreaterThan(0);
  });

  it("shows a caller's create, stop, start and delete in their next list while the watch lags", async () => {
    kube.setWatchEventDelay(400);
    kube.clearRequests();

    expect((await create('lagging')).status).toBe(201);
    expect(await listedNames('jay')).toEqual([]);
    expect(await listedNames()).toContain('lagging:Starting');

    const stopped = await api('post', '/workspaces/ivy-workspaces.lagging/stop');
    expect(stopped.status).toBe(200);
    expect(await listedNames()).toContain(`lagging:${stopped.body.status}`);
    expect(stopped.body.status).toBe('Stopping');

    const started = await api('post', '/workspaces/ivy-workspaces.lagging/start');
    expect(started.status).toBe(200);
    expect(await listedNames()).toContain('lagging:Starting');

    expect((await api('delete', '/workspaces/ivy-workspaces.lagging')).status).toBe(204);
    expect((await listedNames()).filter(n => n.startsWith('lagging:'))).toEqual([]);
    expect((await api('get', '/workspaces/ivy-workspaces.lagging')).status).toBe(404);
    // All of it read from memory (after waiting for the watch), none of it listed directly.
    expect(directReads().filter(r => r.path.endsWith('/devworkspaces'))).toEqual([]);
  });

  it('lists from the API server while the watch is broken, and from memory again once it is back', async () => {
    expect((await create('before-break', 'jay')).status).toBe(201);
    await eventually(async () => (await listedNames('jay')).length === 1);
    kube.faults.set({ refuseConnections: true, match: { watch: true } });
    await eventually(async () => kube.openWatches() === 0);
    // Made elsewhere (another replica, kubectl) meanwhile: only a direct list can show it.
    const [template] = kube.objects({ group: 'workspace.devfile.io', version: 'v1alpha2', plural: 'devworkspaces', namespace: 'jay-workspaces' });
    kube.createObject(
      { group: 'workspace.devfile.io', version: 'v1alpha2', plural: 'devworkspaces', namespace: 'jay-workspaces' },
      { ...template, metadata: { name: 'during-break', labels: template.metadata!.labels, annotations: template.metadata!.annotations } },
    );
    kube.clearRequests();

    expect((await listedNames('jay')).map(n => n.split(':')[0])).toEqual(['before-break', 'during-break']);
    expect(directReads().filter(r => r.path.endsWith('/devworkspaces'))).toHaveLength(1);

    kube.faults.clear();
    await eventually(async () => kube.openWatches() === 1, 5000);
    kube.clearRequests();
    await eventually(async () => (await listedNames('jay')).length === 2);
    expect(directReads()).toEqual([]);
  });
});

describe('che-launcher: namespace lookups of a list', () => {
  it("looks the owner's namespace up once for a list of several workspaces, not once per workspace", async () => {
    const kube = await startKube(['lee-workspaces'], { startDelayMs: 50, stopDelayMs: 50 });
    const files = { '/goldenpath-python.yaml': { body: goldenDevfile } };
    const cheLauncher = { limits: { maxWorkspacesPerUser: 10, maxRunningWorkspacesPerUser: 10 } };
    try {
      const first = await startCheLauncher({ kube, files, cheLauncher });
      for (const name of ['one', 'two', 'three', 'four']) {
        const created = await checked(first.server)
          .post('/api/che-launcher/workspaces')
          .set('Authorization', user('lee'))
          .send({ devfileUrl: devfileUrl('goldenpath-python.yaml'), name });
        expect(created.status).toBe(201);
      }
      await first.stop();
      // A new process: nothing looked up yet.
      const second = await startCheLauncher({ kube, files, cheLauncher });
      try {
        await eventually(async () => kube.openWatches() === 1);
        kube.clearRequests();
        const listed = await checked(second.server).get('/api/che-launcher/workspaces').set('Authorization', user('lee'));
        expect(listed.body.total).toBe(4);
        // One lookup (the Che-labelled namespaces, then the template's name), shared by the four workspaces.
        const namespaceReads = kube.requests.filter(r => r.method === 'GET' && r.path.startsWith('/api/v1/namespaces'));
        expect(namespaceReads.length).toBeGreaterThan(0);
        expect(namespaceReads.length).toBeLessThanOrEqual(2);
      } finally {
        await second.stop();
      }
    } finally {
      await kube.stop();
    }
    // Two backends one after the other on a busy machine.
  }, 120_000);
});

describe('che-launcher: informer lifecycle', () => {
  it('watches while the plugin runs and closes the watch when it stops', async () => {
    const kube = await startKube(['kim-workspaces']);
    try {
      const backend = await startCheLauncher({ kube });
      await eventually(async () => kube.openWatches() === 1);
      expect(kube.requests.filter(r => r.query.watch)[0]).toMatchObject({
        path: '/apis/workspace.devfile.io/v1alpha2/devworkspaces',
        query: { allowWatchBookmarks: 'true', labelSelector: 'app.kubernetes.io/managed-by=backstage-che-launcher' },
      });
      await backend.stop();
      await eventually(async () => kube.openWatches() === 0);
    } finally {
      await kube.stop();
    }
  });

  it('reads from the API server every time with the informer disabled', async () => {
    const kube = await startKube(['kim-workspaces']);
    try {
      const backend = await startCheLauncher({
        kube,
        cheLauncher: {
          kubernetes: { type: 'url', url: kube.url, token: 'test-token', skipTLSVerify: true, informer: { enabled: false } },
        },
      });
      for (let i = 0; i < 3; i++) {
        const res = await checked(backend.server).get('/api/che-launcher/workspaces').set('Authorization', user('kim'));
        expect(res.status).toBe(200);
      }
      expect(kube.requests.filter(r => r.query.watch)).toEqual([]);
      expect(kube.requests.filter(r => r.method === 'GET' && r.path.endsWith('/devworkspaces'))).toHaveLength(3);
      await backend.stop();
    } finally {
      await kube.stop();
    }
  });
});
