import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { KubeApiTestServer, devWorkspaceResources } from '@fawkes/kube-api-test-server';
// The module is tested with the plugin it serves, over HTTP.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import cheLauncherPlugin from '@fawkes/plugin-che-launcher-backend';
import { createServer } from 'node:net';
import request from 'supertest';
import { cheLauncherModuleStandInCluster } from './standInModule';

const user = mockCredentials.user.header('user:default/jane');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

function config(port: number, cheLauncher: Record<string, unknown> = {}) {
  const devfile = (name: string) => `https://localhost:${port}/devfiles/${name}.yaml`;
  return mockServices.rootConfig.factory({
    data: {
      backend: { reading: { allow: [{ host: `localhost:${port}` }] } },
      apiGuard: { rateLimit: { user: { limit: 100000 }, service: { limit: 100000 } } },
      cheLauncherStandIn: { devfilePort: port },
      cheLauncher: {
        cheUrl: 'https://che.local.test',
        autoProvisionNamespace: true,
        limits: { maxRunningWorkspacesPerUser: 3 },
        devfiles: [
          { name: 'goldenpath-python', displayName: 'Python', description: 'Python', url: devfile('goldenpath-python') },
          { name: 'goldenpath-ai', displayName: 'AI', description: 'AI', url: devfile('goldenpath-ai') },
          { name: 'goldenpath-broken', displayName: 'Broken', description: 'Broken', url: devfile('goldenpath-broken') },
        ],
        ...cheLauncher,
      },
    },
  });
}

describe('cheLauncherModuleStandInCluster', () => {
  it('without cheLauncher.kubernetes: create, list, open, stop, start and delete a workspace from a bundled devfile', async () => {
    const port = await freePort();
    const backend = await startTestBackend({
      features: [cheLauncherPlugin, cheLauncherModuleStandInCluster, config(port)],
    });
    try {
      const api = request(backend.server);
      const created = await api
        .post('/api/che-launcher/workspaces')
        .set('Authorization', user)
        .send({ template: 'goldenpath-python', name: 'py' });
      expect(created.status).toBe(201);
      const id = created.body.workspaceId;

      const running = await eventually(async () => {
        const res = await api.get(`/api/che-launcher/workspaces/${id}`).set('Authorization', user);
        return res.body.status === 'Running' && res.body;
      });
      expect(running.ideUrl).toMatch(/^https:\/\/che\.local\.test\/.+\/py\/\d+\/$/);
      const listed = await api.get('/api/che-launcher/workspaces').set('Authorization', user);
      expect(listed.body.workspaces.map((w: { workspaceId: string }) => w.workspaceId)).toEqual([id]);

      expect((await api.post(`/api/che-launcher/workspaces/${id}/stop`).set('Authorization', user)).status).toBe(200);
      await eventually(async () => (await api.get(`/api/che-launcher/workspaces/${id}`).set('Authorization', user)).body.status === 'Stopped');
      expect((await api.post(`/api/che-launcher/workspaces/${id}/start`).set('Authorization', user)).status).toBe(200);
      await eventually(async () => (await api.get(`/api/che-launcher/workspaces/${id}`).set('Authorization', user)).body.status === 'Running');

      expect((await api.delete(`/api/che-launcher/workspaces/${id}`).set('Authorization', user)).status).toBe(204);
      await eventually(async () => (await api.get(`/api/che-launcher/workspaces/${id}`).set('Authorization', user)).status === 404);
    } finally {
      await backend.stop();
    }
  }, 60_000);

  it('runs the other bundled golden-path devfile, and fails the broken one as the operator does: Failed with the reason', async () => {
    const port = await freePort();
    const backend = await startTestBackend({
      features: [cheLauncherPlugin, cheLauncherModuleStandInCluster, config(port)],
    });
    try {
      const api = request(backend.server);
      const created = await api
        .post('/api/che-launcher/workspaces')
        .set('Authorization', user)
        .send({ template: 'goldenpath-broken', name: 'broken' });
      expect({ status: created.status, body: created.body }).toMatchObject({ status: 201 });
      const failed = await eventually(async () => {
        const res = await api.get(`/api/che-launcher/workspaces/${created.body.workspaceId}`).set('Authorization', user);
        return res.body.status === 'Failed' && res.body;
      });
      expect(failed.statusMessage).toMatch(/ErrImagePull/);

      const ai = await api.post('/api/che-launcher/workspaces').set('Authorization', user).send({ template: 'goldenpath-ai' });
      expect({ status: ai.status, body: ai.body }).toMatchObject({ status: 201, body: { devfile: { name: 'goldenpath-ai' } } });
      await eventually(async () => (await api.get(`/api/che-launcher/workspaces/${ai.body.workspaceId}`).set('Authorization', user)).body.status === 'Running');
    } finally {
      await backend.stop();
    }
  }, 60_000);

  it('is not used when cheLauncher.kubernetes is configured: the configured cluster wins', async () => {
    const port = await freePort();
    const kube = await KubeApiTestServer.start({
      token: 'configured-token',
      resources: devWorkspaceResources,
      controller: { startDelayMs: 50, stopDelayMs: 50 },
    });
    const backend = await startTestBackend({
      features: [
        cheLauncherPlugin,
        cheLauncherModuleStandInCluster,
        config(port, { kubernetes: { type: 'url', url: kube.url, token: 'configured-token', skipTLSVerify: true } }),
      ],
    });
    try {
      const res = await request(backend.server).get('/api/che-launcher/workspaces').set('Authorization', user);
      expect(res.status).toBe(200);
      expect(kube.requests.some(r => r.path.endsWith('/devworkspaces'))).toBe(true);
      // The stand-in was never opened: nothing serves the bundled devfiles.
      await expect(fetch(`https://localhost:${port}/devfiles/goldenpath-python.yaml`)).rejects.toThrow();
    } finally {
      await backend.stop();
      await kube.stop();
    }
  }, 60_000);

  it('is not used when the configured cluster is unusable either: 503, never a silent simulation', async () => {
    const port = await freePort();
    const backend = await startTestBackend({
      // inCluster outside a pod: no service account token.
      features: [cheLauncherPlugin, cheLauncherModuleStandInCluster, config(port, { kubernetes: { type: 'inCluster' } })],
    });
    try {
      const res = await request(backend.server).get('/api/che-launcher/workspaces').set('Authorization', user);
      expect(res.status).toBe(503);
      await expect(fetch(`https://localhost:${port}/devfiles/goldenpath-python.yaml`)).rejects.toThrow();
    } finally {
      await backend.stop();
    }
  }, 60_000);
});
