/**
 * The informer-backed client against the Kubernetes API test server over HTTP, with the real
 * @kubernetes/client-node underneath: lists served from memory, read-your-writes, fallbacks while
 * the watch is broken, relists after 410, watch timeouts with bookmarks.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { KubeConfig } from '@kubernetes/client-node';
import { devWorkspaceResources, KubeApiTestServer } from '@fawkes/kube-api-test-server';
import { MANAGED_SELECTOR } from '../../model/constants';
import { DevWorkspace } from '../../model/types';
import { KubernetesDevWorkspaceClient } from './DevWorkspaceClient';
import { DevWorkspaceInformer } from './DevWorkspaceInformer';
import { InformerDevWorkspaceClient, parseEqualitySelector } from './InformerDevWorkspaceClient';

jest.setTimeout(30_000);

const DW = { group: 'workspace.devfile.io', version: 'v1alpha2', plural: 'devworkspaces' };
const OWNER = 'che-launcher.fawkes.io/owner-hash';
const ns = 'alice-workspaces';

function devWorkspace(name: string, owner = 'alice', namespace = ns): DevWorkspace {
  return {
    apiVersion: 'workspace.devfile.io/v1alpha2',
    kind: 'DevWorkspace',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'backstage-che-launcher', [OWNER]: owner } },
    spec: { started: false },
  };
}

function kubeConfigOf(server: KubeApiTestServer): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions(server.kubeConfig());
  return kc;
}

async function eventually<T>(check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

describe('InformerDevWorkspaceClient', () => {
  let kube: KubeApiTestServer;
  let informer: DevWorkspaceInformer;
  let client: InformerDevWorkspaceClient;
  let logger: ReturnType<typeof mockServices.logger.mock>;

  const lists = () => kube.requests.filter(r => r.method === 'GET' && !r.query.watch && r.path.endsWith('/devworkspaces'));
  const gets = () => kube.requests.filter(r => r.method === 'GET' && !r.query.watch && !r.path.endsWith('/devworkspaces'));

  async function start(options: { watchTimeoutSeconds?: number; consistencyTimeoutMs?: number } = {}) {
    const kc = new KubeConfig();
    kc.loadFromOptions(kube.kubeConfig());
    logger = mockServices.logger.mock();
    informer = new DevWorkspaceInformer(kc, logger, {
      labelSelector: MANAGED_SELECTOR,
      listTimeoutMs: 2000,
      watchTimeoutSeconds: options.watchTimeoutSeconds,
      indexLabels: [OWNER],
      retryDelayMs: 50,
      maxRetryDelayMs: 200,
    });
    client = new InformerDevWorkspaceClient(new KubernetesDevWorkspaceClient(kc, 2000), informer, {
      labelSelector: MANAGED_SELECTOR,
      consistencyTimeoutMs: options.consistencyTimeoutMs ?? 2000,
      logger,
    });
    await informer.start();
    await eventually(() => informer.ready);
  }

  beforeEach(async () => {
    kube = await KubeApiTestServer.start({
      token: 'test-token',
      resources: devWorkspaceResources,
      namespaces: [ns, 'bob-workspaces'],
      watch: { bookmarkIntervalMs: 200 },
    });
  });

  afterEach(async () => {
    await informer?.stop();
    await kube.stop();
  });

  it('serves lists and gets from memory once synced: no API-server call per read', async () => {
    kube.createObject({ ...DW, namespace: ns }, devWorkspace('a1') as any);
    kube.createObject({ ...DW, namespace: 'bob-workspaces' }, devWorkspace('b1', 'bob', 'bob-workspaces') as any);
    kube.createObject({ ...DW, namespace: ns }, { ...devWorkspace('unmanaged'), metadata: { name: 'unmanaged', namespace: ns } } as any);
    await start();
    expect(kube.openWatches()).toBe(1);
    const watch = kube.requests.find(r => r.query.watch)!;
    expect(watch).toMatchObject({
      path: '/apis/workspace.devfile.io/v1alpha2/devworkspaces',
      query: { labelSelector: MANAGED_SELECTOR, allowWatchBookmarks: 'true', timeoutSeconds: expect.stringMatching(/^\d+$/) },
    });
    kube.clearRequests();

    expect((await client.list(MANAGED_SELECTOR)).map(d => d.metadata.name).sort()).toEqual(['a1', 'b1']);
    expect((await client.list(`${MANAGED_SELECTOR},${OWNER}=bob`)).map(d => d.metadata.name)).toEqual(['b1']);
    expect(await client.list(MANAGED_SELECTOR, 'bob-workspaces')).toHaveLength(1);
    expect((await client.get(ns, 'a1'))?.metadata.name).toBe('a1');
    expect(kube.requests).toEqual([]);

    // Changes made elsewhere arrive through the watch.
    kube.createObject({ ...DW, namespace: ns }, devWorkspace('a2') as any);
    await eventually(() => informer.get(ns, 'a2'));
    expect((await client.list(`${MANAGED_SELECTOR},${OWNER}=alice`)).map(d => d.metadata.name).sort()).toEqual(['a1', 'a2']);
    expect(kube.requests).toEqual([]);

    // What the cache does not hold is asked for: an unmanaged object, or selectors it cannot answer.
    expect((await client.get(ns, 'unmanaged'))?.metadata.name).toBe('unmanaged');
    expect(gets()).toHaveLength(1);
    expect(await client.list(`${OWNER}=alice`)).toHaveLength(2);
    expect(lists()).toHaveLength(1);
    // Cached objects are read-only.
    const [cached] = await client.list(MANAGED_SELECTOR, 'bob-workspaces');
    expect(() => {
      (cached.spec as any).started = true;
    }).toThrow(TypeError);
  });

  it("shows a caller its own writes in the next read, even while the watch lags", async () => {
    await start();
    kube.setWatchEventDelay(400);
    kube.clearRequests();
    const selector = `${MANAGED_SELECTOR},${OWNER}=alice`;

    const created = await client.create(devWorkspace('mine'));
    const started = Date.now();
    expect((await client.list(selector)).map(d => d.metadata.name)).toEqual(['mine']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(lists()).toEqual([]); // waited for the informer, did not list

    await client.patch(ns, 'mine', [{ op: 'replace', path: '/spec/started', value: true }]);
    expect((await client.get(ns, 'mine'))?.spec.started).toBe(true);
    expect((await client.list(selector))[0].spec.started).toBe(true);

    // Another owner's list does not wait for alice's writes.
    await client.patch(ns, 'mine', [{ op: 'replace', path: '/spec/started', value: false }]);
    const other = Date.now();
    expect(await client.list(`${MANAGED_SELECTOR},${OWNER}=bob`)).toEqual([]);
    expect(Date.now() - other).toBeLessThan(300);
    expect((await client.list(selector))[0].spec.started).toBe(false);

    expect(await client.delete(ns, 'mine')).toBe(true);
    expect(await client.list(selector)).toEqual([]);
    expect(lists()).toEqual([]);
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('falls back to a bounded direct read when the informer does not catch up in time', async () => {
    await start({ consistencyTimeoutMs: 200 });
    kube.setWatchEventDelay(1500);
    kube.clearRequests();
    await client.create(devWorkspace('slow'));
    const started = Date.now();
    expect((await client.list(MANAGED_SELECTOR)).map(d => d.metadata.name)).toEqual(['slow']);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(lists()).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/had not seen a write of this process within 200 ms/));
  });

  it('lists from the API server while the watch is broken, logged, and serves from memory again after', async () => {
    await start();
    kube.faults.set({ refuseConnections: true, match: { watch: true } });
    await eventually(() => !informer.ready);
    kube.createObject({ ...DW, namespace: ns }, devWorkspace('while-broken') as any);
    kube.clearRequests();

    expect((await client.list(MANAGED_SELECTOR)).map(d => d.metadata.name)).toEqual(['while-broken']);
    expect(lists()).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/DevWorkspace informer failed .*lists go to the API server/));
    expect(logger.info).toHaveBeenCalledWith(expect.stringMatching(/Reading DevWorkspaces from the API server: the informer is not synced or its watch is broken/));

    kube.faults.clear();
    await eventually(() => informer.ready);
    expect(informer.get(ns, 'while-broken')).toBeDefined();
    kube.clearRequests();
    expect(await client.list(MANAGED_SELECTOR)).toHaveLength(1);
    expect(lists()).toEqual([]);
    expect(logger.info).toHaveBeenCalledWith(expect.stringMatching(/DevWorkspace watch restored after \d+ ms/));
  });

  it('lists from the API server before the first sync', async () => {
    kube.faults.set({ status: 503, match: { watch: true } });
    const kc = new KubeConfig();
    kc.loadFromOptions(kube.kubeConfig());
    logger = mockServices.logger.mock();
    informer = new DevWorkspaceInformer(kc, logger, { labelSelector: MANAGED_SELECTOR, listTimeoutMs: 2000, retryDelayMs: 50 });
    client = new InformerDevWorkspaceClient(new KubernetesDevWorkspaceClient(kc, 2000), informer, {
      labelSelector: MANAGED_SELECTOR,
      consistencyTimeoutMs: 2000,
      logger,
    });
    kube.createObject({ ...DW, namespace: ns }, devWorkspace('early') as any);
    expect((await client.list(MANAGED_SELECTOR)).map(d => d.metadata.name)).toEqual(['early']);
    await informer.start();
    expect(informer.ready).toBe(false);
    kube.clearRequests();
    expect(await client.list(MANAGED_SELECTOR)).toHaveLength(1);
    expect(lists()).toHaveLength(1);
  });

  it('relists after 410 Expired, re-watches from the last resourceVersion after a timeout, and stops with its owner', async () => {
    await start({ watchTimeoutSeconds: 1 });
    const first = kube.requests.find(r => r.query.watch)!;
    expect(Number(first.query.timeoutSeconds)).toBeGreaterThanOrEqual(1);
    expect(Number(first.query.timeoutSeconds)).toBeLessThanOrEqual(2);
    kube.clearRequests();
    // The server ends the watch after timeoutSeconds: re-watched from where it was, no relist.
    await eventually(() => kube.requests.some(r => r.query.watch), 4000);
    expect(lists()).toEqual([]);
    expect(kube.requests.find(r => r.query.watch)!.query.resourceVersion).toMatch(/^\d+$/);

    // Dropped and compacted meanwhile: the re-watch gets 410, the informer lists again.
    kube.clearRequests();
    kube.faults.set({ refuseConnections: true, match: { watch: true } });
    await eventually(() => !informer.ready);
    kube.createObject({ ...DW, namespace: ns }, devWorkspace('after-compaction') as any);
    kube.compact();
    kube.faults.clear();
    await eventually(() => informer.ready && informer.get(ns, 'after-compaction'));
    expect(lists()).toHaveLength(1);
    expect(logger.info).toHaveBeenCalledWith(expect.stringMatching(/DevWorkspace watch answered 410 too old resource version/));

    await informer.stop();
    await eventually(() => kube.openWatches() === 0);
    expect(informer.ready).toBe(false);
  });

  it('moves its resourceVersion on with bookmarks past changes it does not select', async () => {
    await start();
    const synced = informer.resourceVersion!;
    // Unmanaged: outside the informer's selector, so no event, but the store's revision moves on.
    kube.createObject({ ...DW, namespace: ns }, { ...devWorkspace('unmanaged-2'), metadata: { name: 'unmanaged-2', namespace: ns } } as any);
    const current = BigInt(kube.store.resourceVersion());
    expect(current).toBeGreaterThan(synced);
    await eventually(() => informer.resourceVersion === current, 2000);
    expect(informer.get(ns, 'unmanaged-2')).toBeUndefined();
  });

  it('keeps its owner index in step with label changes, deletes and relists', async () => {
    kube.createObject({ ...DW, namespace: ns }, devWorkspace('a1') as any);
    kube.createObject({ ...DW, namespace: 'bob-workspaces' }, devWorkspace('b1', 'bob', 'bob-workspaces') as any);
    await start();
    const indexed = (owner: string, namespace?: string) =>
      informer.listByLabel(OWNER, owner, namespace, () => true)!.map(d => `${d.metadata.namespace}/${d.metadata.name}`).sort();
    const listed = async (owner: string) =>
      (await client.list(`${MANAGED_SELECTOR},${OWNER}=${owner}`)).map(d => `${d.metadata.namespace}/${d.metadata.name}`).sort();
    expect(indexed('alice')).toEqual([`${ns}/a1`]);
    expect(indexed('bob', 'bob-workspaces')).toEqual(['bob-workspaces/b1']);
    expect(indexed('bob', ns)).toEqual([]);
    expect(informer.listByLabel('not-indexed', 'x', undefined, () => true)).toBeUndefined();

    // Relabelled (the watch lagging): it leaves one owner's list and joins the other's, in the next read of either.
    kube.setWatchEventDelay(300);
    await client.patch(ns, 'a1', [{ op: 'replace', path: `/metadata/labels/${OWNER.replace('/', '~1')}`, value: 'bob' }]);
    expect(await listed('alice')).toEqual([]);
    expect(indexed('alice')).toEqual([]);
    expect(await listed('bob')).toEqual([`${ns}/a1`, 'bob-workspaces/b1']);
    // Its owner label removed: in no owner's entry, still in the cache.
    await client.patch(ns, 'a1', [{ op: 'remove', path: `/metadata/labels/${OWNER.replace('/', '~1')}` }]);
    expect(await listed('bob')).toEqual(['bob-workspaces/b1']);
    expect((await client.list(MANAGED_SELECTOR)).map(d => d.metadata.name).sort()).toEqual(['a1', 'b1']);
    expect(await client.delete('bob-workspaces', 'b1')).toBe(true);
    expect(await listed('bob')).toEqual([]);
    kube.setWatchEventDelay(0);

    // Changes while the watch is down and the history compacted reach the index through the relist.
    kube.faults.set({ refuseConnections: true, match: { watch: true } });
    await eventually(() => !informer.ready);
    const direct = new KubernetesDevWorkspaceClient(kubeConfigOf(kube), 2000);
    await direct.delete(ns, 'a1');
    await direct.create(devWorkspace('a3'));
    kube.compact();
    kube.faults.clear();
    await eventually(() => informer.ready && informer.get(ns, 'a3'));
    expect(indexed('alice')).toEqual([`${ns}/a3`]);
    expect(indexed('bob')).toEqual([]);
    expect(informer.get(ns, 'a1')).toBeUndefined();
  });

  it('answers only equality selectors from memory', () => {
    expect(parseEqualitySelector('a=b,c==d')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(parseEqualitySelector('a!=b')).toBeUndefined();
    expect(parseEqualitySelector('a in (b)')).toBeUndefined();
    expect(parseEqualitySelector('a')).toBeUndefined();
  });
});
