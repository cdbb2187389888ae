import { mockServices } from '@backstage/backend-test-utils';
import { KubeApiTestServer } from '@fawkes/kube-api-test-server';
import {
  checked,
  DW,
  DWT,
  devfileUrl,
  goldenDevfile,
  objectsOf,
  useCheLauncher,
  user,
} from './__testUtils__/harness';
import { ORPHAN_SWEEP_TASK_ID } from './plugin';

jest.setTimeout(30_000);

/**
 * "No half-made workspaces" under faults: every step of a create fails in turn, rollback
 * deletes fail too, and what the rollback cannot remove is hidden and swept.
 */
describe('che-launcher: failed creates leave nothing behind', () => {
  let kube: KubeApiTestServer;
  let server: any;
  // The test utilities' scheduler (its factory is not in the public type): tasks run when the
  // test triggers them, through the plugin's real task function.
  const scheduler = mockServices.scheduler() as ReturnType<typeof mockServices.scheduler> & {
    factory(options?: { skipTaskRunOnStartup?: boolean }): any;
  };

  useCheLauncher(
    {
      namespaces: ['heidi-workspaces'],
      controller: { startDelayMs: 50, stopDelayMs: 50 },
      backend: () => ({
        files: { '/goldenpath-python.yaml': { body: goldenDevfile } },
        cheLauncher: {
          limits: { maxRunningWorkspacesPerUser: -1 },
          orphanSweep: { frequency: { minutes: 5 }, minAge: { milliseconds: 1 } },
        },
        features: [scheduler.factory({ skipTaskRunOnStartup: true })],
      }),
    },
    env => ({ kube, server } = env),
  );

  afterEach(() => kube.faults.clear());

  const create = (name: string) =>
    checked(server)
      .post('/api/che-launcher/workspaces')
      .set('Authorization', user('heidi'))
      .send({ devfileUrl: devfileUrl('goldenpath-python.yaml'), name });
  const list = () =>
    checked(server).get('/api/che-launcher/workspaces').set('Authorization', user('heidi'));
  const workspaceNames = () =>
    objectsOf(kube, { ...DW, namespace: 'heidi-workspaces' }).map(o => o.metadata.name);
  const templateNames = () =>
    objectsOf(kube, { ...DWT, namespace: 'heidi-workspaces' }).map(o => o.metadata.name);
  const deletesOf = (name: string) =>
    kube.requests.filter(r => r.method === 'DELETE' && r.path.endsWith(`/devworkspaces/${name}`)).length;

  it('a completed create keeps no "creating" label', async () => {
    const res = await create('complete');
    expect(res.status).toBe(201);
    const stored = kube.object({ ...DW, namespace: 'heidi-workspaces', name: 'complete' });
    expect(stored?.metadata?.labels).not.toHaveProperty(['che-launcher.fawkes.io/creating']);
  });

  it('retries the rollback when the editor template create fails and the first delete fails too', async () => {
    kube.faults.set({ status: 503, times: 1, match: { method: 'POST', path: /devworkspacetemplates$/ } });
    kube.faults.add({ status: 500, times: 1, match: { method: 'DELETE', path: /devworkspaces\/tpl-fail$/ } });
    const res = await create('tpl-fail');
    expect(res.status).toBe(503);
    expect(deletesOf('tpl-fail')).toBe(2);
    expect(workspaceNames()).not.toContain('tpl-fail');
    expect((await create('tpl-fail')).status).toBe(201);
  });

  it('retries the rollback when the start patch fails and the first delete fails too', async () => {
    kube.faults.set({ status: 500, times: 1, match: { method: 'PATCH', path: /devworkspaces\/start-fail$/ } });
    kube.faults.add({ status: 503, times: 1, match: { method: 'DELETE', path: /devworkspaces\/start-fail$/ } });
    const res = await create('start-fail');
    expect(res.status).toBe(503);
    expect(workspaceNames()).not.toContain('start-fail');
    expect(templateNames()).not.toContain('che-code-start-fail');
  });

  it.each([
    ['the editor template create', 'swept-tpl', { method: 'POST', path: /devworkspacetemplates$/ }],
    ['the start patch', 'swept-start', { method: 'PATCH', path: /devworkspaces\/swept-start$/ }],
  ])('hides and sweeps what the rollback cannot remove when %s fails', async (_step, name, match) => {
    kube.faults.set({ status: 503, times: 1, match });
    // Every rollback attempt fails.
    kube.faults.add({ status: 500, times: 3, match: { method: 'DELETE', path: new RegExp(`devworkspaces/${name}$`) } });
    const res = await create(name);
    expect(res.status).toBe(503);
    expect(deletesOf(name)).toBe(3);
    // Left in the cluster, but no route shows it or counts it.
    expect(workspaceNames()).toContain(name);
    const listed = await list();
    expect(listed.body.workspaces.map((w: any) => w.name)).not.toContain(name);
    const read = await checked(server)
      .get(`/api/che-launcher/workspaces/heidi-workspaces.${name}`)
      .set('Authorization', user('heidi'));
    expect(read.status).toBe(404);

    await scheduler.triggerTask(ORPHAN_SWEEP_TASK_ID);
    await kube.waitForObject({ ...DW, namespace: 'heidi-workspaces', name }, o => o === undefined);
    expect(templateNames()).not.toContain(`che-code-${name}`);
    expect((await create(name)).status).toBe(201);
  });

  it('the sweep leaves completed workspaces alone', async () => {
    await scheduler.triggerTask(ORPHAN_SWEEP_TASK_ID);
    expect(workspaceNames()).toContain('complete');
  });
});
