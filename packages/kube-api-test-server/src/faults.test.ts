/** Fault injection observed by client-node and fetch. */
import { CustomObjectsApi } from '@kubernetes/client-node';
import { devWorkspaceResources, KubeApiTestServer } from './index';
import { clientsFor, devWorkspace, dwRef, dwtRef, statusOf } from './__testUtils__/testUtils';

const ns = 'alice-workspaces';

describe('fault injection', () => {
  let kube: KubeApiTestServer;
  let custom: CustomObjectsApi;

  beforeEach(async () => {
    kube = await KubeApiTestServer.start({ token: 'test-token', resources: devWorkspaceResources, namespaces: [ns] });
    custom = clientsFor(kube).custom;
  });

  afterEach(async () => {
    await kube.stop();
  });

  const list = () => custom.listNamespacedCustomObject({ ...dwRef, namespace: ns });

  it('answers every request with a 500 InternalError Status until cleared', async () => {
    kube.faults.set({ status: 500 });
    const err = await statusOf(list());
    expect(err.code).toBe(500);
    expect(err.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'InternalError', code: 500 });
    const create = await statusOf(custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('x') }));
    expect(create.code).toBe(500);
    expect(kube.objects({ ...dwRef, namespace: ns })).toEqual([]);

    kube.faults.clear();
    await expect(list()).resolves.toMatchObject({ items: [] });
  });

  it('applies a targeted fault only to matching requests, only `times` times', async () => {
    kube.faults.set({ status: 503, times: 1, match: { method: 'POST', path: /devworkspacetemplates/ } });
    const template = { apiVersion: 'workspace.devfile.io/v1alpha2', kind: 'DevWorkspaceTemplate', metadata: { name: 't' }, spec: {} };

    await expect(custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('w') })).resolves.toBeDefined();
    const first = await statusOf(custom.createNamespacedCustomObject({ ...dwtRef, namespace: ns, body: template }));
    expect(first.code).toBe(503);
    expect(first.body.reason).toBe('ServiceUnavailable');
    await expect(custom.createNamespacedCustomObject({ ...dwtRef, namespace: ns, body: template })).resolves.toBeDefined();
    expect(kube.faults.list()).toEqual([]);
  });

  it('delays requests by latencyMs', async () => {
    kube.faults.set({ latencyMs: 2000 });
    const headers = { Authorization: 'Bearer test-token' };
    await expect(fetch(`${kube.url}/api/v1/namespaces`, { headers, signal: AbortSignal.timeout(100) })).rejects.toThrow();
    kube.faults.clear();
    const res = await fetch(`${kube.url}/api/v1/namespaces`, { headers, signal: AbortSignal.timeout(1000) });
    expect(res.status).toBe(200);
  });

  it('refuses connections while the server is down, then recovers', async () => {
    kube.faults.set({ refuseConnections: true });
    const err = await list().then(
      () => undefined,
      (e: any) => e,
    );
    expect(err).toBeDefined();
    expect(String(err.code ?? err.cause?.code ?? err.message)).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up/);

    kube.faults.clear();
    await expect(list()).resolves.toMatchObject({ items: [] });
  });

  it('resets matching requests with a targeted refuseConnections fault', async () => {
    kube.faults.set({ refuseConnections: true, times: 1, match: { method: 'GET' } });
    await expect(list()).rejects.toThrow();
    await expect(list()).resolves.toMatchObject({ items: [] });
  });
});
