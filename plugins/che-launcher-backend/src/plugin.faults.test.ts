import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeApiTestServer } from '@fawkes/kube-api-test-server';
import {
  checked,
  DW,
  DWT,
  devfileUrl,
  eventually,
  goldenDevfile,
  objectsOf,
  startCheLauncher,
  useCheLauncher,
  startKube,
  user,
} from './__testUtils__/harness';

const REQUEST_TIMEOUT_MS = 400;

// Some faults are awaited through eventually() (up to 4-5 s): more than Jest's 5 s default per
// test leaves when a 2-core machine runs the whole suite.
jest.setTimeout(30_000);

describe('che-launcher: Kubernetes API faults', () => {
  let kube: KubeApiTestServer;
  let server: any;

  useCheLauncher(
    {
      namespaces: ['erin-workspaces'],
      controller: { startDelayMs: 50, stopDelayMs: 50 },
      backend: cluster => ({
        files: {
          '/goldenpath-python.yaml': { body: goldenDevfile },
          '/slow.yaml': { body: goldenDevfile, delayMs: 3000 },
        },
        cheLauncher: {
          kubernetes: {
            type: 'url',
            url: cluster.url,
            token: 'test-token',
            skipTLSVerify: true,
            requestTimeout: REQUEST_TIMEOUT_MS,
          },
          devfileReadTimeout: '500ms',
          limits: { maxRunningWorkspacesPerUser: -1 },
        },
      }),
    },
    env => ({ kube, server } = env),
  );

  afterEach(() => kube.faults.clear());

  const list = () =>
    checked(server).get('/api/che-launcher/workspaces').set('Authorization', user('erin'));
  const create = (name: string, file = 'goldenpath-python.yaml') =>
    checked(server)
      .post('/api/che-launcher/workspaces')
      .set('Authorization', user('erin'))
      .send({ devfileUrl: devfileUrl(file), name });
  const names = () => objectsOf(kube, { ...DW, namespace: 'erin-workspaces' }).map(o => o.metadata.name);

  it('answers 503 while the API server is down, and recovers', async () => {
    kube.faults.set({ refuseConnections: true });
    const down = await list();
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ error: 'The Kubernetes API is unreachable; try again shortly' });
    const createDown = await create('while-down');
    expect(createDown.status).toBe(503);

    kube.faults.clear();
    expect((await list()).status).toBe(200);
    expect(names()).not.toContain('while-down');
  });

  it('answers 503 for API server errors without leaking them, and recovers', async () => {
    kube.faults.set({ status: 500, message: 'etcd leader lost; token=abc123 host=10.0.0.1' });
    const res = await list();
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'The Kubernetes API failed (500); try again shortly' });
    expect(JSON.stringify(res.body)).not.toMatch(/etcd|abc123|10\.0\.0\.1/);
    kube.faults.clear();
    expect((await list()).status).toBe(200);
  });

  it('answers 504 within the configured timeout for a slow API server, and recovers', async () => {
    kube.faults.set({ latencyMs: 3000 });
    const res = await list();
    expect(res.status).toBe(504);
    expect(res.body).toEqual({ error: 'The Kubernetes API did not answer within 0.4s' });
    kube.faults.clear();
    expect((await list()).status).toBe(200);
  });

  it('removes the DevWorkspace when creating the editor template fails', async () => {
    kube.faults.set({ status: 503, times: 1, match: { method: 'POST', path: /devworkspacetemplates/ } });
    const res = await create('rollback-dwt');
    expect(res.status).toBe(503);
    expect(names()).not.toContain('rollback-dwt');
    expect(objectsOf(kube, { ...DWT, namespace: 'erin-workspaces' })).toEqual([]);

    const next = await create('rollback-dwt');
    expect(next.status).toBe(201);
  });

  it('removes the DevWorkspace and its template when starting it fails', async () => {
    kube.faults.set({ status: 500, times: 1, match: { method: 'PATCH', path: /devworkspaces\/rollback-start/ } });
    const res = await create('rollback-start');
    expect(res.status).toBe(503);
    expect(names()).not.toContain('rollback-start');
    expect(
      objectsOf(kube, { ...DWT, namespace: 'erin-workspaces' }).map(o => o.metadata.name),
    ).not.toContain('che-code-rollback-start');
  });

  it('removes a DevWorkspace whose create timed out after reaching the cluster', async () => {
    // The create is stored but answered too late; the plugin must not leave it behind.
    kube.faults.set({ latencyMs: 1000, times: 1, match: { method: 'POST', path: /devworkspaces$/ } });
    const res = await create('slow-create');
    expect(res.status).toBe(504);
    // The server commits the object only after its delay, when the plugin has already given up;
    // the plugin looks again later and removes it.
    await eventually(async () => kube.requests.some(r => r.method === 'DELETE' && r.path.endsWith('/slow-create')), 4000);
    expect(names()).not.toContain('slow-create');
    expect((await create('slow-create')).status).toBe(201);
  });

  it('answers 504 when the devfile host is too slow, creating nothing', async () => {
    const res = await create('slow-devfile', 'slow.yaml');
    expect(res.status).toBe(504);
    expect(res.body).toEqual({
      error: 'Unable to read https://devfiles.example.test/slow.yaml: no answer within 500 ms',
    });
    expect(names()).not.toContain('slow-devfile');
  });
});

describe('che-launcher without a cluster', () => {
  it('starts and answers 503 with a clear message', async () => {
    const backend = await startCheLauncher({});
    const res = await checked(backend.server)
      .get('/api/che-launcher/workspaces')
      .set('Authorization', user('erin'));
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error: 'No Kubernetes cluster is configured for che-launcher (cheLauncher.kubernetes)',
    });
    await backend.stop();
  });
});

describe('che-launcher connection types', () => {
  it('uses a kubeconfig file', async () => {
    const kube = await startKube(['erin-workspaces']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'che-launcher-'));
    const file = path.join(dir, 'kubeconfig');
    fs.writeFileSync(file, kube.kubeConfigYaml());
    const backend = await startCheLauncher({
      cheLauncher: { kubernetes: { type: 'kubeconfig', path: file } },
    });
    const res = await checked(backend.server)
      .get('/api/che-launcher/workspaces')
      .set('Authorization', user('erin'));
    expect(res.status).toBe(200);
    expect(kube.requests.some(r => r.path.endsWith('/devworkspaces'))).toBe(true);
    await backend.stop();
    await kube.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts outside a cluster with inCluster configured and answers 503', async () => {
    const backend = await startCheLauncher({ cheLauncher: { kubernetes: { type: 'inCluster' } } });
    const res = await checked(backend.server)
      .get('/api/che-launcher/workspaces')
      .set('Authorization', user('erin'));
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error: 'The Kubernetes connection of che-launcher is misconfigured; see the backend logs',
    });
    await backend.stop();
  });
});
