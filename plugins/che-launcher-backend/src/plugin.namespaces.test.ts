import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { devWorkspaceResource, KubeApiTestServer, namespaceResource } from '@fawkes/kube-api-test-server';
import {
  checked,
  DW,
  devfileUrl,
  goldenDevfile,
  objectsOf,
  startCheLauncher,
  startKube,
} from './__testUtils__/harness';
import { ownerLabelValue } from './model/names';

jest.setTimeout(30_000);

const CHE_LABELS = {
  'app.kubernetes.io/part-of': 'che.eclipse.org',
  'app.kubernetes.io/component': 'workspaces-namespace',
};

const as = (ref: string) => mockCredentials.user.header(ref);

function cheNamespace(kube: KubeApiTestServer, name: string, username: string) {
  kube.store.create(namespaceResource, undefined, {
    metadata: { name, labels: CHE_LABELS, annotations: { 'che.eclipse.org/username': username } },
  });
}

const allWorkspaces = (kube: KubeApiTestServer) =>
  objectsOf(kube, DW).map(o => `${o.metadata.namespace}/${o.metadata.name}`);

describe("che-launcher: Che's user namespaces", () => {
  let kube: KubeApiTestServer;
  let server: any;
  let stopBackend: () => Promise<void>;

  beforeAll(async () => {
    kube = await startKube([], { startDelayMs: 50, stopDelayMs: 50 });
    cheNamespace(kube, 'kate-che', 'kate');
    // The template's name for mallory, but Che made it for alice.
    cheNamespace(kube, 'che-mallory', 'alice');
    kube.createNamespace('elsewhere');
    const backend = await startCheLauncher({
      kube,
      files: { '/goldenpath-python.yaml': { body: goldenDevfile } },
      cheLauncher: {
        namespaceTemplate: 'che-{user}',
        autoProvisionNamespace: true,
        limits: { maxRunningWorkspacesPerUser: -1 },
      },
    });
    server = backend.server;
    stopBackend = () => backend.stop();
  });

  afterAll(async () => {
    await stopBackend?.();
    await kube?.stop();
  });

  const create = (ref: string, name: string) =>
    checked(server)
      .post('/api/che-launcher/workspaces')
      .set('Authorization', as(ref))
      .send({ devfileUrl: devfileUrl('goldenpath-python.yaml'), name });

  it("uses the namespace Che labelled and annotated for the user", async () => {
    const res = await create('user:default/kate', 'kates');
    expect(res.status).toBe(201);
    expect(res.body.workspaceId).toBe('kate-che.kates');
  });

  it('provisions a missing namespace from the template with exactly Che’s labels and annotation', async () => {
    const res = await create('user:default/leo', 'leos');
    expect(res.status).toBe(201);
    expect(res.body.workspaceId).toBe('che-leo.leos');
    const ns = kube.object({ group: '', version: 'v1', plural: 'namespaces', name: 'che-leo' });
    // Che's labels, plus the one the API server puts on every namespace.
    expect(ns?.metadata?.labels).toEqual({ ...CHE_LABELS, 'kubernetes.io/metadata.name': 'che-leo' });
    expect(ns?.metadata?.annotations).toEqual({
      'che.eclipse.org/username': 'leo',
      'che-launcher.fawkes.io/owner': 'user:default/leo',
    });
  });

  it("never uses a namespace annotated for another Che user", async () => {
    const before = allWorkspaces(kube);
    const res = await create('user:default/mallory', 'mallorys');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: "Namespace 'che-mallory' belongs to another user; ask a cluster administrator",
    });
    expect(allWorkspaces(kube)).toEqual(before);
  });

  it('gives distinct users distinct namespaces, whatever their names', async () => {
    const refs = [
      'user:default/jane-doe-x',
      'user:other/jane-doe-x',
      'user:development/jane.doe',
      'user:default/jane-doe',
    ];
    const namespaces: string[] = [];
    for (const ref of refs) {
      const res = await create(ref, 'adv');
      expect(res.status).toBe(201);
      namespaces.push(res.body.workspaceId.split('.')[0]);
    }
    // A user literally named like one of the hashed namespaces above.
    const hashed = namespaces.find(ns => /-[0-9a-f]{12}$/.test(ns))!;
    const lookalike = await create(`user:default/${hashed.replace(/^che-/, '')}`, 'adv');
    expect(lookalike.status).toBe(201);
    namespaces.push(lookalike.body.workspaceId.split('.')[0]);

    expect(new Set(namespaces).size).toBe(refs.length + 1);
    expect(namespaces[0]).toBe('che-jane-doe-x');
    // Each sees only their own workspace.
    for (const [i, ref] of [...refs, `user:default/${hashed.replace(/^che-/, '')}`].entries()) {
      const list = await checked(server).get('/api/che-launcher/workspaces').set('Authorization', as(ref));
      expect(list.body.workspaces.map((w: any) => w.workspaceId)).toEqual([`${namespaces[i]}.adv`]);
    }
  });

  it("ignores owner marks outside the owner's namespace", async () => {
    kube.createObject(
      { ...DW, namespace: 'elsewhere' },
      {
        apiVersion: 'workspace.devfile.io/v1alpha2',
        kind: 'DevWorkspace',
        metadata: {
          name: 'planted',
          labels: {
            'app.kubernetes.io/managed-by': 'backstage-che-launcher',
            'che-launcher.fawkes.io/owner-hash': ownerLabelValue('user:default/kate'),
          },
          annotations: { 'che-launcher.fawkes.io/owner': 'user:default/kate' },
        },
        spec: { started: false, template: {} },
      },
    );
    const list = await checked(server).get('/api/che-launcher/workspaces').set('Authorization', as('user:default/kate'));
    expect(list.body.workspaces.map((w: any) => w.workspaceId)).toEqual(['kate-che.kates']);
    for (const method of ['get', 'delete'] as const) {
      const res = await checked(server)[method]('/api/che-launcher/workspaces/elsewhere.planted').set('Authorization', as('user:default/kate'));
      expect(res.status).toBe(404);
    }
    expect(allWorkspaces(kube)).toContain('elsewhere/planted');
  });
});

describe('che-launcher: the Che username from a User entity annotation', () => {
  it('finds the namespace Che made for that username', async () => {
    const kube = await startKube([], { startDelayMs: 50, stopDelayMs: 50 });
    cheNamespace(kube, 'nina-che', 'nina.k');
    const backend = await startCheLauncher({
      kube,
      files: { '/goldenpath-python.yaml': { body: goldenDevfile } },
      cheLauncher: {
        userName: { from: 'annotation', annotation: 'che.eclipse.org/username' },
        limits: { maxRunningWorkspacesPerUser: -1 },
      },
      features: [
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'User',
              metadata: { name: 'nina', namespace: 'default', annotations: { 'che.eclipse.org/username': 'nina.k' } },
              spec: {},
            },
            { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'otto', namespace: 'default' }, spec: {} },
          ],
        }),
      ],
    });
    try {
      const post = (ref: string) =>
        checked(backend.server)
          .post('/api/che-launcher/workspaces')
          .set('Authorization', as(ref))
          .send({ devfileUrl: devfileUrl('goldenpath-python.yaml'), name: 'mine' });
      const res = await post('user:default/nina');
      expect(res.status).toBe(201);
      expect(res.body.workspaceId).toBe('nina-che.mine');
      const otto = await post('user:default/otto');
      expect(otto.status).toBe(403);
      expect(otto.body).toEqual({
        error: "Your user entity has no Che username (annotation 'che.eclipse.org/username'); ask an administrator",
      });
    } finally {
      await backend.stop();
      await kube.stop();
    }
  });
});

describe('che-launcher: limits count what Che counts', () => {
  it("counts the dashboard's running workspaces in the user's namespace (default limit 1)", async () => {
    const kube = await startKube(['oscar-workspaces'], { startDelayMs: 50, stopDelayMs: 50 });
    kube.createObject(
      { ...DW, namespace: 'oscar-workspaces' },
      {
        apiVersion: 'workspace.devfile.io/v1alpha2',
        kind: 'DevWorkspace',
        metadata: { name: 'from-dashboard' },
        spec: { started: true, template: {} },
        status: { phase: 'Running' },
      },
    );
    const backend = await startCheLauncher({ kube, files: { '/goldenpath-python.yaml': { body: goldenDevfile } } });
    try {
      const res = await checked(backend.server)
        .post('/api/che-launcher/workspaces')
        .set('Authorization', as('user:default/oscar'))
        .send({ devfileUrl: devfileUrl('goldenpath-python.yaml'), name: 'second' });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        error: 'Running workspace limit reached: you may have at most 1 running workspace(s); stop one first',
      });
      expect(allWorkspaces(kube)).toEqual(['oscar-workspaces/from-dashboard']);
    } finally {
      await backend.stop();
      await kube.stop();
    }
  });
});

describe("che-launcher: Che's operator config", () => {
  it('sets controller.devfile.io/devworkspace-config at create and again at every start', async () => {
    const kube = await startKube(['pia-workspaces'], { startDelayMs: 50, stopDelayMs: 50 });
    const backend = await startCheLauncher({
      kube,
      files: { '/goldenpath-python.yaml': { body: goldenDevfile } },
      cheLauncher: { che: { namespace: 'che-system' } },
    });
    const ref = { ...DW, namespace: 'pia-workspaces', name: 'configured' };
    const attributes = () => (kube.object(ref)?.spec as any)?.template?.attributes ?? {};
    const api = (path: string) =>
      checked(backend.server).post(`/api/che-launcher/workspaces${path}`).set('Authorization', as('user:default/pia'));
    try {
      const res = await api('').send({ devfileUrl: devfileUrl('goldenpath-python.yaml'), name: 'configured' });
      expect(res.status).toBe(201);
      expect(attributes()['controller.devfile.io/devworkspace-config']).toEqual({
        name: 'devworkspace-config',
        namespace: 'che-system',
      });
      // The devfile's own attributes stay beside it.
      expect(attributes()['controller.devfile.io/storage-type']).toBe('per-user');

      // A workspace made before (or by someone else) without it gets it on its next start.
      await kube.waitForObject(ref, o => (o?.status as any)?.phase === 'Running');
      expect((await api('/pia-workspaces.configured/stop')).status).toBe(200);
      await kube.waitForObject(ref, o => (o?.status as any)?.phase === 'Stopped');
      const stored = kube.object(ref)!;
      delete (stored.spec as any).template.attributes['controller.devfile.io/devworkspace-config'];
      kube.store.update(devWorkspaceResource, 'pia-workspaces', 'configured', stored);
      expect(attributes()).not.toHaveProperty(['controller.devfile.io/devworkspace-config']);

      expect((await api('/pia-workspaces.configured/start')).status).toBe(200);
      expect(attributes()['controller.devfile.io/devworkspace-config']).toEqual({
        name: 'devworkspace-config',
        namespace: 'che-system',
      });
    } finally {
      await backend.stop();
      await kube.stop();
    }
  });
});

describe('che-launcher: a workspace stuck in Error while being deleted', () => {
  it('stays visible as Failed, and a second DELETE is accepted', async () => {
    const kube = await startKube(['quinn-workspaces'], { startDelayMs: 50, stopDelayMs: 50 });
    kube.createObject(
      { ...DW, namespace: 'quinn-workspaces' },
      {
        apiVersion: 'workspace.devfile.io/v1alpha2',
        kind: 'DevWorkspace',
        metadata: {
          name: 'stuck',
          finalizers: ['example.com/storage-cleanup'],
          labels: {
            'app.kubernetes.io/managed-by': 'backstage-che-launcher',
            'che-launcher.fawkes.io/owner-hash': ownerLabelValue('user:default/quinn'),
          },
          annotations: { 'che-launcher.fawkes.io/owner': 'user:default/quinn' },
        },
        spec: { started: false, template: {} },
        status: { phase: 'Error', message: 'failed to clean up workspace storage' },
      },
    );
    kube.store.delete(devWorkspaceResource, 'quinn-workspaces', 'stuck');
    const backend = await startCheLauncher({ kube, cheLauncher: { kubernetes: { type: 'url', url: kube.url, token: 'test-token', skipTLSVerify: true, informer: { enabled: false } } } });
    const api = checked(backend.server);
    try {
      const list = await api.get('/api/che-launcher/workspaces').set('Authorization', as('user:default/quinn'));
      expect(list.body.workspaces).toEqual([
        expect.objectContaining({
          workspaceId: 'quinn-workspaces.stuck',
          status: 'Failed',
          statusMessage: 'failed to clean up workspace storage',
        }),
      ]);
      const again = await api.delete('/api/che-launcher/workspaces/quinn-workspaces.stuck').set('Authorization', as('user:default/quinn'));
      expect(again.status).toBe(204);
    } finally {
      await backend.stop();
      await kube.stop();
    }
  });
});
