/**
 * Watch semantics, driven by @kubernetes/client-node's own Watch and informer (ListWatch) over
 * HTTP, and by plain fetch for the wire format.
 */
import { KubeConfig, KubernetesObject, ListWatch, makeInformer, Watch } from '@kubernetes/client-node';
import { devWorkspaceResources, KubeApiTestServer } from './index';
import { clientsFor, devWorkspace, dwRef, waitFor } from './__testUtils__/testUtils';

const ns = 'alice-workspaces';
const nsPath = `/apis/workspace.devfile.io/v1alpha2/namespaces/${ns}/devworkspaces`;
const clusterPath = '/apis/workspace.devfile.io/v1alpha2/devworkspaces';

interface Seen {
  type: string;
  name?: string;
  rv?: string;
  object: any;
}

/** Opens a client-node watch and records what it gets; `done` resolves when the watch ends. */
async function watchWith(kc: KubeConfig, path: string, query: Record<string, string | number | boolean | undefined>) {
  const seen: Seen[] = [];
  let resolveDone!: (err: unknown) => void;
  const done = new Promise<unknown>(resolve => {
    resolveDone = resolve;
  });
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, object) => seen.push({ type, name: object?.metadata?.name, rv: object?.metadata?.resourceVersion, object }),
    err => resolveDone(err),
  );
  return { seen, done, abort: () => controller.abort() };
}

describe('watch', () => {
  let kube: KubeApiTestServer;
  let kc: KubeConfig;

  beforeEach(async () => {
    kube = await KubeApiTestServer.start({
      token: 'test-token',
      resources: devWorkspaceResources,
      namespaces: [ns, 'bob-workspaces'],
      watch: { bookmarkIntervalMs: 100 },
    });
    kc = clientsFor(kube).kc;
  });

  afterEach(async () => {
    await kube.stop();
  });

  it('starts with the current objects as ADDED, then streams changes, filtered by namespace and label selector', async () => {
    const { custom } = clientsFor(kube);
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('one', { labels: { team: 'a' } }) });
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('other-team', { labels: { team: 'b' } }) });
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: 'bob-workspaces', body: devWorkspace('bobs', { labels: { team: 'a' } }) });

    const w = await watchWith(kc, nsPath, { labelSelector: 'team=a' });
    await waitFor(() => (w.seen.length === 1 ? true : undefined));
    expect(w.seen.map(e => [e.type, e.name])).toEqual([['ADDED', 'one']]);

    await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('two', { labels: { team: 'a' } }) });
    await fetch(`${kube.url}${nsPath}/one`, {
      method: 'PATCH',
      headers: { Authorization: 'Bearer test-token', 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { started: true } }),
    });
    // Leaving the selection is a DELETED for this watcher, entering it an ADDED.
    await fetch(`${kube.url}${nsPath}/two`, {
      method: 'PATCH',
      headers: { Authorization: 'Bearer test-token', 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ metadata: { labels: { team: 'b' } } }),
    });
    await fetch(`${kube.url}${nsPath}/other-team`, {
      method: 'PATCH',
      headers: { Authorization: 'Bearer test-token', 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ metadata: { labels: { team: 'a' } } }),
    });
    await custom.deleteNamespacedCustomObject({ ...dwRef, namespace: ns, name: 'one' });
    await custom.deleteNamespacedCustomObject({ ...dwRef, namespace: 'bob-workspaces', name: 'bobs' });

    await waitFor(() => (w.seen.length >= 6 ? true : undefined));
    w.abort();
    expect(w.seen.map(e => [e.type, e.name])).toEqual([
      ['ADDED', 'one'],
      ['ADDED', 'two'],
      ['MODIFIED', 'one'],
      ['DELETED', 'two'],
      ['ADDED', 'other-team'],
      ['DELETED', 'one'],
    ]);
    expect(w.seen[2].object.spec.started).toBe(true);
    // Each event carries the resourceVersion of its change, strictly increasing.
    const rvs = w.seen.slice(1).map(e => Number(e.rv));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    expect(new Set(rvs).size).toBe(rvs.length);
    // A DELETED carries the deletion's own resourceVersion, newer than the object's last write.
    expect(Number(w.seen[5].rv)).toBeGreaterThan(Number(w.seen[2].rv));
    expect(Number(w.seen[5].rv)).toBeLessThanOrEqual(Number(kube.store.resourceVersion()));
  });

  it('resumes from a list resourceVersion with only the later changes, cluster-wide', async () => {
    const { custom } = clientsFor(kube);
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('before') });
    const list = await custom.listClusterCustomObject(dwRef);
    expect(list.metadata.resourceVersion).toMatch(/^\d+$/);
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: 'bob-workspaces', body: devWorkspace('after') });

    const w = await watchWith(kc, clusterPath, { resourceVersion: list.metadata.resourceVersion });
    await custom.deleteNamespacedCustomObject({ ...dwRef, namespace: ns, name: 'before' });
    await waitFor(() => (w.seen.length >= 2 ? true : undefined));
    w.abort();
    expect(w.seen.map(e => [e.type, e.name, e.object.metadata.namespace])).toEqual([
      ['ADDED', 'after', 'bob-workspaces'],
      ['DELETED', 'before', ns],
    ]);
    expect(kube.requests.at(-2)).toMatchObject({ method: 'GET', path: clusterPath, query: { watch: 'true', resourceVersion: list.metadata.resourceVersion } });
  });

  it('answers a watch from a compacted resourceVersion with ERROR 410 Expired and ends it', async () => {
    const small = await KubeApiTestServer.start({ token: 'test-token', resources: devWorkspaceResources, namespaces: [ns], watch: { historyLimit: 2 } });
    try {
      const { custom, kc: smallKc } = clientsFor(small);
      const list = await custom.listNamespacedCustomObject({ ...dwRef, namespace: ns });
      for (const name of ['a', 'b', 'c']) {
        await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace(name) });
      }
      const w = await watchWith(smallKc, nsPath, { resourceVersion: list.metadata.resourceVersion });
      expect(await w.done).toBeNull();
      expect(w.seen).toEqual([
        {
          type: 'ERROR',
          object: {
            kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', code: 410,
            message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/),
          },
        },
      ]);
      // Within the retained history it still resumes.
      const recent = await watchWith(smallKc, nsPath, { resourceVersion: String(Number(small.store.resourceVersion()) - 1) });
      await waitFor(() => (recent.seen.length === 1 ? true : undefined));
      expect(recent.seen.map(e => [e.type, e.name])).toEqual([['ADDED', 'c']]);
      recent.abort();
      // compact() drops all of it.
      small.compact();
      const late = await watchWith(smallKc, nsPath, { resourceVersion: String(Number(small.store.resourceVersion()) - 1) });
      await late.done;
      expect(late.seen.map(e => e.object.code)).toEqual([410]);
    } finally {
      await small.stop();
    }
  });

  it('sends BOOKMARKs with the current resourceVersion when allowed, and closes after timeoutSeconds', async () => {
    const { custom } = clientsFor(kube);
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: 'bob-workspaces', body: devWorkspace('elsewhere') });
    const started = Date.now();
    const w = await watchWith(kc, nsPath, { resourceVersion: kube.store.resourceVersion(), allowWatchBookmarks: true, timeoutSeconds: 1 });
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: 'bob-workspaces', body: devWorkspace('elsewhere-2') });
    expect(await w.done).toBeNull();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3000);
    const bookmarks = w.seen.filter(e => e.type === 'BOOKMARK');
    expect(bookmarks.length).toBeGreaterThanOrEqual(3);
    expect(w.seen.filter(e => e.type !== 'BOOKMARK')).toEqual([]);
    expect(bookmarks.at(-1)!.object).toEqual({
      kind: 'DevWorkspace', apiVersion: 'workspace.devfile.io/v1alpha2', metadata: { resourceVersion: kube.store.resourceVersion() },
    });
    expect(kube.openWatches()).toBe(0);

    // Without allowWatchBookmarks: none.
    const plain = await watchWith(kc, nsPath, { resourceVersion: kube.store.resourceVersion(), timeoutSeconds: 1 });
    await plain.done;
    expect(plain.seen).toEqual([]);
  });

  it('delays events in order when told to (a lagging watch cache)', async () => {
    const { custom } = clientsFor(kube);
    const w = await watchWith(kc, nsPath, { resourceVersion: kube.store.resourceVersion() });
    kube.setWatchEventDelay(300);
    const written = Date.now();
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('late-1') });
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('late-2') });
    expect(w.seen).toEqual([]);
    await waitFor(() => (w.seen.length === 2 ? true : undefined));
    expect(Date.now() - written).toBeGreaterThanOrEqual(290);
    expect(w.seen.map(e => e.name)).toEqual(['late-1', 'late-2']);
    w.abort();
  });

  it('frames events as newline-delimited JSON objects', async () => {
    const { custom } = clientsFor(kube);
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('framed') });
    const res = await fetch(`${kube.url}${nsPath}?watch=1&timeoutSeconds=1`, { headers: { Authorization: 'Bearer test-token' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n').map(l => JSON.parse(l));
    expect(lines).toEqual([{ type: 'ADDED', object: expect.objectContaining({ kind: 'DevWorkspace', metadata: expect.objectContaining({ name: 'framed' }) }) }]);
  });

  it('rejects a bad resourceVersion or timeoutSeconds with 400, and a denied watch with 403', async () => {
    const bad = await fetch(`${kube.url}${nsPath}?watch=true&resourceVersion=abc`, { headers: { Authorization: 'Bearer test-token' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).reason).toBe('BadRequest');
    const badTimeout = await fetch(`${kube.url}${nsPath}?watch=true&timeoutSeconds=-1`, { headers: { Authorization: 'Bearer test-token' } });
    expect(badTimeout.status).toBe(400);
    kube.deny({ verb: 'watch', plural: 'devworkspaces', scope: 'cluster' });
    const denied = await fetch(`${kube.url}${clusterPath}?watch=true`, { headers: { Authorization: 'Bearer test-token' } });
    expect(denied.status).toBe(403);
    expect((await denied.json()).message).toMatch(/cannot watch resource "devworkspaces"/);
    // The list itself is still allowed.
    expect((await fetch(`${kube.url}${clusterPath}`, { headers: { Authorization: 'Bearer test-token' } })).status).toBe(200);
  });

  it("keeps client-node's informer in sync, relisting after 410, and lets faults break only the watch", async () => {
    const { custom } = clientsFor(kube);
    await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('seeded') });
    // makeInformer's answer is a ListWatch (typed as Informer & ObjectCache).
    const informer = makeInformer<KubernetesObject>(kc, clusterPath, () => custom.listClusterCustomObject(dwRef) as any) as ListWatch<KubernetesObject>;
    const events: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', o => events.push(`add ${o.metadata!.name}`));
    informer.on('update', o => events.push(`update ${o.metadata!.name}`));
    informer.on('delete', o => events.push(`delete ${o.metadata!.name}`));
    informer.on('error', e => errors.push(e));
    await informer.start();
    try {
      await waitFor(() => (kube.openWatches() === 1 ? true : undefined));
      expect(informer.list().map(o => o.metadata!.name)).toEqual(['seeded']);

      await custom.createNamespacedCustomObject({ ...dwRef, namespace: 'bob-workspaces', body: devWorkspace('live') });
      await custom.deleteNamespacedCustomObject({ ...dwRef, namespace: ns, name: 'seeded' });
      await waitFor(() => (informer.list().length === 1 && informer.get('live', 'bob-workspaces') ? true : undefined));
      expect(informer.latestResourceVersion()).toBe(kube.store.resourceVersion());
      const synced = informer.latestResourceVersion();

      // The watch is dropped and the history compacted meanwhile: the re-watch gets 410, the informer relists.
      kube.clearRequests();
      kube.faults.set({ status: 503, times: 1, match: { watch: true } });
      await waitFor(() => (kube.openWatches() === 0 ? true : undefined));
      await custom.createNamespacedCustomObject({ ...dwRef, namespace: ns, body: devWorkspace('while-away') });
      kube.compact();
      // The 503 ended the informer (client-node reports it and stops); start it again.
      await waitFor(() => (errors.length === 1 ? true : undefined));
      await informer.start();
      await waitFor(() => (informer.get('while-away', ns) && kube.openWatches() === 1 ? true : undefined));
      const gets = kube.requests.filter(r => r.method === 'GET');
      expect(gets.map(r => `${r.query.watch ? 'watch' : 'list'} ${r.query.resourceVersion ?? ''}`.trim())).toEqual([
        `watch ${synced}`, // the 503
        `watch ${synced}`, // 410 Expired
        'list',
        `watch ${kube.store.resourceVersion()}`,
      ]);
      expect(events).toEqual(['add seeded', 'add live', 'delete seeded', 'add while-away']);

      // A fault on watches only: lists still work, re-watches fail.
      kube.faults.set({ refuseConnections: true, match: { watch: true } });
      await waitFor(() => (errors.length === 2 ? true : undefined));
      expect((await custom.listClusterCustomObject(dwRef)).items).toHaveLength(2);
    } finally {
      await informer.stop();
    }
  });
});
