/** The controller simulator's phases, observed through client-node over HTTP. */
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { devWorkspaceResources, KubeApiTestServer, namespaceResource } from '../index';
import { clientsFor, codeOf, devWorkspace, dwRef, dwtRef, statusOf, waitFor } from '../__testUtils__/testUtils';

const ns = 'alice-workspaces';

describe('DevWorkspaceControllerSimulator', () => {
  let kube: KubeApiTestServer;
  let custom: CustomObjectsApi;
  let history: Map<string, string[]>;

  beforeEach(async () => {
    kube = await KubeApiTestServer.start({
      token: 'test-token',
      resources: devWorkspaceResources,
      namespaces: [ns],
      controller: { startDelayMs: 50, stopDelayMs: 50 },
    });
    custom = clientsFor(kube).custom;
    // Every phase the server stored, per workspace: polling alone could miss a short Starting.
    history = new Map();
    kube.store.subscribe(e => {
      if (e.resource.plural !== 'devworkspaces') return;
      const name = e.object.metadata!.name!;
      const phase = (e.object.status as { phase?: string } | undefined)?.phase ?? '(none)';
      const seen = history.get(name) ?? [];
      if (seen[seen.length - 1] !== phase) history.set(name, [...seen, phase]);
    });
  });

  afterEach(async () => {
    await kube.stop();
  });

  const get = (name: string) => custom.getNamespacedCustomObject({ ...dwRef, namespace: ns, name });
  /** Waits (through the API) until the workspace reaches `until`; returns every phase it has had. */
  const phases = async (name: string, until: string) => {
    await waitFor(async () => ((await get(name)).status?.phase === until ? true : undefined));
    return history.get(name) ?? [];
  };
  const setStarted = (name: string, started: boolean) =>
    custom.patchNamespacedCustomObject(
      { ...dwRef, namespace: ns, name, body: [{ op: 'replace', path: '/spec/started', value: started }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );

  it('moves a started workspace Starting → Running with mainUrl, then Stopping → Stopped', async () => {
    const created = await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('ws', { started: true }) });
    expect(created.status).toBeUndefined();

    expect(await phases('ws', 'Running')).toEqual(['(none)', 'Starting', 'Running']);
    const running = await get('ws');
    expect(running.metadata.finalizers).toEqual(['storage.controller.devfile.io']);
    expect(running.status.devworkspaceId).toMatch(/^workspace[0-9a-f]{16}$/);
    expect(running.status.mainUrl).toBe(`https://che.test/${ns}/ws/3100/`);
    expect(running.status.message).toBe(running.status.mainUrl);
    expect(running.status.conditions.map((c: any) => [c.type, c.status, c.message ?? ''])).toEqual([
      ['Started', 'True', 'DevWorkspace is starting'],
      ['DevWorkspaceResolved', 'True', 'Resolved plugins and parents from DevWorkspace'],
      ['StorageReady', 'True', 'Storage ready'],
      ['RoutingReady', 'True', 'Networking ready'],
      ['ServiceAccountReady', 'True', 'DevWorkspace serviceaccount ready'],
      ['PullSecretsReady', 'True', 'DevWorkspace secrets ready'],
      ['KubernetesComponentsProvisioned', 'True', 'Kubernetes components ready'],
      ['DeploymentReady', 'True', 'DevWorkspace deployment ready'],
      ['Ready', 'True', ''],
    ]);

    await setStarted('ws', false);
    expect(await phases('ws', 'Stopped')).toEqual(['(none)', 'Starting', 'Running', 'Stopping', 'Stopped']);
    const stopped = await get('ws');
    // DWO keeps mainUrl after a stop.
    expect(stopped.status.mainUrl).toBe(running.status.mainUrl);
    expect(stopped.status.devworkspaceId).toBe(running.status.devworkspaceId);

    await setStarted('ws', true);
    expect((await phases('ws', 'Running')).slice(-3)).toEqual(['Stopped', 'Starting', 'Running']);
  });

  it('gives a workspace created stopped the phase Stopped, and starts it on patch', async () => {
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('idle') });
    const idle = await waitFor(async () => ((await get('idle')).status?.devworkspaceId ? get('idle') : undefined));
    expect(idle.status.phase).toBe('Stopped');
    expect(idle.metadata.finalizers).toBeUndefined();

    await custom.patchNamespacedCustomObject(
      { ...dwRef, namespace: ns, name: 'idle', body: { spec: { started: true } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(await phases('idle', 'Running')).toEqual(['(none)', 'Stopped', 'Starting', 'Running']);
  });

  it('lets tests wait on a phase with kube.waitForObject', async () => {
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('waited', { started: true }) });
    const running = await kube.waitForObject({ ...dwRef, namespace: ns, name: 'waited' }, o => (o?.status as any)?.phase === 'Running');
    expect((running!.status as any).mainUrl).toBe(`https://che.test/${ns}/waited/3100/`);
    await custom.deleteNamespacedCustomObject({ ...dwRef, namespace: ns, name: 'waited' });
    await expect(kube.waitForObject({ ...dwRef, namespace: ns, name: 'waited' }, o => o === undefined)).resolves.toBeUndefined();
    await expect(kube.waitForObject({ ...dwRef, namespace: ns, name: 'waited' }, o => o !== undefined, 50)).rejects.toThrow(/timed out/);
  });

  it('fails a start as DWO does: FailedStart, Failing, spec.started=false, Failed, and stays Failed after a stop', async () => {
    await custom.createNamespacedCustomObject({
      ...dwRef, namespace: ns, body: devWorkspace('bad', { started: true, image: 'quay.io/test/broken-image:1' }),
    });
    expect(await phases('bad', 'Failed')).toEqual(['(none)', 'Starting', 'Failing', 'Failed']);
    const failed = await get('bad');
    expect(failed.spec.started).toBe(false);
    expect(failed.status.message).toBe('Container tools has state ErrImagePull');
    expect(failed.status.conditions.find((c: any) => c.type === 'FailedStart')).toMatchObject({
      status: 'True',
      message: 'Container tools has state ErrImagePull',
    });
    await setStarted('bad', false);
    await new Promise(resolve => setTimeout(resolve, 150));
    expect((await get('bad')).status.phase).toBe('Failed');
  });

  it('sets mainUrl only for a main endpoint, in Che shape when the namespace names its Che user', async () => {
    kube.store.create(namespaceResource, undefined, {
      metadata: { name: 'che-carol', annotations: { 'che.eclipse.org/username': 'carol' } },
    });
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: 'che-carol', body: devWorkspace('mine', { started: true }) });
    const running = await kube.waitForObject({ ...dwRef, namespace: 'che-carol', name: 'mine' }, o => (o?.status as any)?.phase === 'Running');
    expect((running!.status as any).mainUrl).toBe('https://che.test/carol/mine/3100/');

    await custom.createNamespacedCustomObject({
      ...dwRef, namespace: ns, body: devWorkspace('no-main', { started: true, endpoints: [{ name: 'http', targetPort: 8080 }] }),
    });
    const plain = await kube.waitForObject({ ...dwRef, namespace: ns, name: 'no-main' }, o => (o?.status as any)?.phase === 'Running');
    expect((plain!.status as any).mainUrl).toBeUndefined();
  });

  it.each([
    ['duplicate endpoint names', { endpoints: [{ name: 'web', targetPort: 1 }, { name: 'web', targetPort: 2 }] }, 'Invalid devfile: duplicate endpoint name: web'],
    ['an over-long endpoint name', { endpoints: [{ name: 'a-very-long-endpoint', targetPort: 1 }] }, 'Invalid devfile: endpoint name a-very-long-endpoint is longer than 15 characters'],
    ['an event naming a missing command', { template: { events: { postStart: ['install'] } } }, 'Invalid devfile: event install refers to a command that does not exist'],
    [
      'a missing editor template',
      { contributions: [{ name: 'editor', kubernetes: { name: 'che-code-gone' } }] },
      // DWO's flatten library names the contribution, not the template.
      'Error processing devfile: plugin for component editor not found',
    ],
  ])('fails a devfile with %s', async (_what, opts, message) => {
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('invalid', { started: true, ...opts }) });
    expect(await phases('invalid', 'Failed')).toEqual(['(none)', 'Starting', 'Failing', 'Failed']);
    expect((await get('invalid')).status.message).toBe(message);
  });

  it('resolves an editor template in another namespace only when it allows the import (allow-import-from)', async () => {
    kube.createNamespace('eclipse-che');
    const template = (name: string, annotations?: Record<string, string>) => ({
      apiVersion: 'workspace.devfile.io/v1alpha2',
      kind: 'DevWorkspaceTemplate',
      metadata: { name, ...(annotations ? { annotations } : {}) },
      spec: { components: [{ name: 'ide', container: { image: 'quay.io/che-incubator/che-code:7.89.0' } }] },
    });
    await custom.createNamespacedCustomObject({ ...dwtRef, namespace: 'eclipse-che', body: template('private') });
    await custom.createNamespacedCustomObject({
      ...dwtRef, namespace: 'eclipse-che', body: template('shared', { 'controller.devfile.io/allow-import-from': `other,${ns}` }),
    });
    const using = (name: string, templateName: string) =>
      devWorkspace(name, { started: true, contributions: [{ name: 'editor', kubernetes: { name: templateName, namespace: 'eclipse-che' } }] });

    await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: using('not-allowed', 'private') });
    expect(await phases('not-allowed', 'Failed')).toEqual(['(none)', 'Starting', 'Failing', 'Failed']);
    expect((await get('not-allowed')).status.message).toBe('Error processing devfile: plugin for component editor not found');

    await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: using('allowed', 'shared') });
    expect(await phases('allowed', 'Running')).toEqual(['(none)', 'Starting', 'Running']);
  });

  it("refuses annotations over Kubernetes' 256 KiB total with 422, as the API server does", async () => {
    const body = devWorkspace('annotated') as any;
    body.metadata.annotations = { 'che.eclipse.org/devfile': 'x'.repeat(256 * 1024) };
    const answer = await statusOf(custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body }));
    expect(answer.code).toBe(422);
    expect(answer.body.details.causes).toEqual([
      { reason: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: must have at most 262144 bytes' },
    ]);
  });

  it('goes Terminating on delete, keeps the object until its finalizer is removed, then GCs owned templates', async () => {
    const created = await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('doomed', { started: true }) });
    await custom.createNamespacedCustomObject({
      ...dwtRef, namespace: ns,
      body: {
        apiVersion: 'workspace.devfile.io/v1alpha2', kind: 'DevWorkspaceTemplate',
        metadata: { name: 'doomed-editor', ownerReferences: [{ apiVersion: 'workspace.devfile.io/v1alpha2', kind: 'devworkspace', name: 'doomed', uid: created.metadata.uid }] },
        spec: {},
      },
    });
    await phases('doomed', 'Running');
    // The template must outlive the Terminating phase and go only once the workspace is gone.
    let templateWhileTerminating: unknown;
    kube.store.subscribe(e => {
      if (e.type === 'MODIFIED' && (e.object.status as any)?.phase === 'Terminating') {
        templateWhileTerminating = kube.object({ ...dwtRef, namespace: ns, name: 'doomed-editor' });
      }
    });

    const answer = await custom.deleteNamespacedCustomObject({ ...dwRef, namespace: ns, name: 'doomed' });
    expect(answer.kind).toBe('DevWorkspace');
    expect(answer.metadata.deletionTimestamp).toBeDefined();


    await waitFor(async () => ((await codeOf(get('doomed'))) === 404 ? true : undefined));
    expect(history.get('doomed')).toEqual(['(none)', 'Starting', 'Running', 'Terminating']);
    expect(templateWhileTerminating).toBeDefined();
    expect(kube.objects({ ...dwtRef, namespace: ns })).toEqual([]);
  });
});
