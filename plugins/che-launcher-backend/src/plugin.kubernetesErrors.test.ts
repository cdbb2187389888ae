import { mockServices } from '@backstage/backend-test-utils';
import { KubeApiTestServer, namespaceResource } from '@fawkes/kube-api-test-server';
import {
  checked,
  DW,
  devfileUrl,
  goldenDevfile,
  KUBE_TOKEN,
  objectsOf,
  startCheLauncher,
  useCheLauncher,
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

  useCheLauncher(
    {
      namespaces: ['grace-workspaces'],
      controller: { startDelayMs: 50, stopDelayMs: 50 },
      backend: () => ({
        files: { '/goldenpath-python.yaml': { body: goldenDevfile } },
      }),
    },
    env => ({ kube, server } = env),
  );

  afterEach(() => {
    kube.faults.clear();
    kube.allowAll();
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

describe('che-launcher: the cause of every 502/503/504 is logged once, with the request id', () => {
  let kube: KubeApiTestServer;
  let backend: Awaited<ReturnType<typeof startCheLauncher>>;
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    kube = await startKube(['judy-workspaces'], { startDelayMs: 50, stopDelayMs: 50 });
    backend = await startCheLauncher({
      kube,
      files: { '/goldenpath-python.yaml': { body: goldenDevfile } },
      cheLauncher: { kubernetes: { type: 'url', url: kube.url, token: KUBE_TOKEN, skipTLSVerify: true, requestTimeout: 500, informer: { enabled: false } } },
      features: [logger.factory],
    });
  });

  afterEach(() => {
    kube.faults.clear();
    kube.allowAll();
    jest.clearAllMocks();
  });

  afterAll(async () => {
    await backend?.stop();
    await kube?.stop();
  });

  const host = () => new URL(kube.url).host;
  const linesWith = (id: string) =>
    logger.warn.mock.calls.map(call => String(call[0])).filter(line => line.includes(id));
  const everythingLogged = () =>
    JSON.stringify([logger.warn.mock.calls, logger.info.mock.calls, logger.error.mock.calls]);

  it.each([
    [
      'an RBAC denial',
      () => kube.deny({ verb: 'list', plural: 'devworkspaces', scope: 'cluster' }),
      503,
      "The plugin's service account may not list devworkspaces.workspace.devfile.io at the cluster scope; grant it in the plugin's ClusterRole (see the che-launcher README)",
      /Kubernetes list devworkspaces\.workspace\.devfile\.io on 127\.0\.0\.1:\d+ failed: 403 Forbidden: devworkspaces\.workspace\.devfile\.io is forbidden: User "system:serviceaccount:default:test-client" cannot list resource "devworkspaces" in API group "workspace\.devfile\.io" at the cluster scope$/,
    ],
    [
      'an API server error',
      () => kube.faults.set({ status: 500, message: 'etcd leader lost' }),
      503,
      'The Kubernetes API failed (500); try again shortly',
      /failed: 500 InternalError: etcd leader lost$/,
    ],
    [
      'a refused connection',
      () => kube.faults.set({ refuseConnections: true }),
      503,
      'The Kubernetes API is unreachable; try again shortly',
      /failed: no answer: ECONNREFUSED .*connect ECONNREFUSED/,
    ],
    [
      'a timeout',
      () => kube.faults.set({ latencyMs: 2000 }),
      504,
      'The Kubernetes API did not answer within 0.5s',
      /failed: no answer: no answer within 500 ms$/,
    ],
  ])('for %s', async (_case, fault, status, message, cause) => {
    fault();
    const id = `req-${status}-${Math.random().toString(36).slice(2, 8)}`;
    const res = await checked(backend.server)
      .get('/api/che-launcher/workspaces')
      .set('Authorization', user('judy'))
      .set('X-Request-Id', id);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: message });
    expect(res.headers['x-request-id']).toBe(id);
    const lines = linesWith(id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^GET /api/che-launcher/workspaces \\(request ${id}\\) answered ${status} '${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}': `),
    );
    expect(lines[0]).toContain(host());
    expect(lines[0]).toMatch(cause);
    expect(everythingLogged()).not.toContain(KUBE_TOKEN);
  });

  it('gives every request an id of its own when the caller sends none (or an unusable one)', async () => {
    const res = await checked(backend.server)
      .get('/api/che-launcher/workspaces')
      .set('Authorization', user('judy'))
      .set('X-Request-Id', 'bad id\twith spaces');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
