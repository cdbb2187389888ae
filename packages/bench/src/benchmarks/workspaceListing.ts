import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { startBackendProcess } from '@fawkes/e2e-utils';
// The baseline uses exactly the label selector che-launcher builds (its testUtils entry).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { LABEL_OWNER, MANAGED_SELECTOR, ownerLabelValue } from '@fawkes/plugin-che-launcher-backend/testUtils';
import {
  CustomObjectsApi,
  KubeConfig,
  Observable,
  RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, get as httpGet } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Report } from '../lib/report';

const KUBE_TOKEN = 'bench-kube-token';
/** Who the guest sign-in of packages/backend makes the caller (checked against the token). */
const GUEST = 'user:development/guest';
const OWNED = 50;

interface KubeStats {
  /** Requests received since the start: all, DevWorkspace lists, watch requests, the rest. */
  requests: number;
  lists: number;
  watches: number;
  other: number;
  /** The other requests since the start by method and resource path. */
  otherKinds: Record<string, number>;
  /** Watches open now. */
  openWatches: number;
}

interface KubeChild {
  url: string;
  namespaces: number;
  stats(): Promise<KubeStats>;
  stop(): Promise<void>;
}

/** The kube API test server, seeded with `total` DevWorkspaces, in its own process (see backends/kubeApiServer.ts). */
async function startKubeChild(total: number): Promise<KubeChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      join(resolvePackagePath('@fawkes/bench'), 'src/backends/kubeApiServer.ts'),
      JSON.stringify({ token: KUBE_TOKEN, total, owned: OWNED, owner: GUEST, namespaceTemplate: '{user}-workspaces' }),
    ],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let stderr = '';
  child.stderr!.on('data', chunk => {
    stderr += String(chunk);
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', line => resolve(line));
    child.once('exit', code => reject(new Error(`kube test server exited with ${code}: ${stderr}`)));
  });
  const info = JSON.parse(firstLine);
  if (info.seeded !== total) {
    child.kill('SIGTERM');
    throw new Error(`kube test server seeded ${info.seeded}, expected ${total}`);
  }
  return {
    url: info.url,
    namespaces: info.namespaces,
    stats: () =>
      new Promise<KubeStats>(resolve => {
        // The TypeScript loader sends messages of its own on the same channel.
        const onMessage = (message: any) => {
          if (typeof message?.requests !== 'number') return;
          child.off('message', onMessage);
          resolve(message as KubeStats);
        };
        child.on('message', onMessage);
        child.send('stats');
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise(done => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function guestToken(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
  const token: string = (await res.json()).backstageIdentity.token;
  const sub = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;
  if (sub !== GUEST) throw new Error(`guest token names ${sub}, the seeded workspaces belong to ${GUEST}`);
  return token;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Makes `calls` calls one after the other, each timed on its own (ms). */
async function timeCalls(call: () => Promise<void>, calls: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await call();
    latencies.push(performance.now() - start);
  }
  return latencies;
}

/** GET with Node's own HTTP client on a keep-alive agent; resolves with the parsed JSON body. */
function getJson(url: string, headers: Record<string, string>, agent: Agent): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent, headers }, res => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (error) {
          reject(error);
        }
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** A middleware for client-node calls that puts them on one keep-alive agent. */
function keepAliveMiddleware(agent: Agent) {
  return {
    middleware: [
      {
        pre: (context: RequestContext) => {
          context.setAgent(agent);
          return new Observable(Promise.resolve(context));
        },
        post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
      },
    ],
    middlewareMergeStrategy: 'append' as const,
  };
}

/** Resident set size of a process (MiB), from /proc. */
function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

type Side = 'watch' | 'direct' | 'bare' | 'bareKeepAlive';

function describeKinds(kinds: Record<string, number>): string {
  const entries = Object.entries(kinds).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return entries.length ? entries.map(([kind, n]) => `${n}× ${kind}`).join(', ') : 'none';
}

interface Scenario {
  total: number;
  calls: number;
  rounds: number;
  /** Virtual users each listing every `intervalMs` for `seconds`, against each backend in turn. */
  load?: { users: number; intervalMs: number; seconds: number };
}

/**
 * Workspace listing: `total` DevWorkspaces (50 the caller's) in the Kubernetes API test server,
 * which runs in its own process, and two backends (packages/backend, NODE_ENV=production) on
 * it: `watch`, che-launcher as configured by default (reads from its DevWorkspace informer), and
 * `direct`, the same with `cheLauncher.kubernetes.informer.enabled: false` (every list asks the
 * API server, as before the informer). The subject is `GET /api/che-launcher/workspaces` as the
 * signed-in guest; the baseline is the bare `@kubernetes/client-node` `listClusterCustomObject`
 * call with the plugin's label selector, made from the bench process as a user would write it
 * (client-node opens a new connection per call). All sides are driven from the bench process the
 * same way: calls one after the other, each timed from request to parsed body; the backends are
 * called with Node's HTTP client on a keep-alive agent, without compression (as autocannon does).
 * Rounds alternate; p50 and p99 are taken over all rounds, and the median of the per-round p50s
 * is reported beside them. The API server's request counter gives the requests per list of each
 * side and, under `load`, the requests per minute.
 */
async function benchScenario(report: Report, scenario: Scenario, nodeArgs?: string[]) {
  const { total } = scenario;
  const kube = await startKubeChild(total);
  const backendConfig = (informer: boolean) => ({
    apiGuard: { rateLimit: { service: { limit: 1_000_000_000 }, user: { limit: 1_000_000_000 } } },
    cheLauncher: {
      kubernetes: { type: 'url', url: kube.url, token: KUBE_TOKEN, skipTLSVerify: true, informer: { enabled: informer } },
    },
  });
  const started = await Promise.allSettled([
    // Two full backends starting at once on a busy 2-core machine can take minutes.
    startBackendProcess({ config: [backendConfig(true)], env: { NODE_ENV: 'production' }, nodeArgs, readyTimeoutMs: 240_000 }),
    startBackendProcess({ config: [backendConfig(false)], env: { NODE_ENV: 'production' }, nodeArgs, readyTimeoutMs: 240_000 }),
  ]);
  const backends = started.flatMap(s => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(backends.map(b => b.stop()));
    await kube.stop();
    throw failed.reason;
  }
  const [watchBackend, directBackend] = backends;
  const agent = new Agent({ keepAlive: true });
  try {
    const tokens = { watch: await guestToken(watchBackend.baseUrl), direct: await guestToken(directBackend.baseUrl) };
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'bench', server: kube.url, skipTLSVerify: true }],
      users: [{ name: 'bench', token: KUBE_TOKEN }],
      contexts: [{ name: 'bench', cluster: 'bench', user: 'bench' }],
      currentContext: 'bench',
    });
    const api = kc.makeApiClient(CustomObjectsApi);
    // The selector the plugin uses for a user's own workspaces (WorkspaceService.list).
    const labelSelector = `${MANAGED_SELECTOR},${LABEL_OWNER}=${ownerLabelValue(GUEST)}`;
    const listRequest = { group: 'workspace.devfile.io', version: 'v1alpha2', plural: 'devworkspaces', labelSelector };
    const urls = {
      watch: `${watchBackend.baseUrl}/api/che-launcher/workspaces`,
      direct: `${directBackend.baseUrl}/api/che-launcher/workspaces`,
    };

    const listVia = (backend: 'watch' | 'direct') => async () => {
      const { status, body } = await getJson(urls[backend], { authorization: `Bearer ${tokens[backend]}` }, agent);
      if (status !== 200 || body.total !== OWNED || body.workspaces.some((w: any) => w.owner !== GUEST)) {
        throw new Error(`GET /api/che-launcher/workspaces (${backend}) answered ${status}: ${JSON.stringify(body).slice(0, 200)}`);
      }
    };
    const calls: Record<Side, () => Promise<void>> = {
      watch: listVia('watch'),
      direct: listVia('direct'),
      bare: async () => {
        const list = await api.listClusterCustomObject(listRequest);
        if (list.items.length !== OWNED) throw new Error(`bare list returned ${list.items.length} items`);
      },
      bareKeepAlive: async () => {
        const list = await api.listClusterCustomObject(listRequest, keepAliveMiddleware(agent));
        if (list.items.length !== OWNED) throw new Error(`bare list returned ${list.items.length} items`);
      },
    };

    // Warm up; the watch side is measured once its informer has synced (its lists reach the API server no more).
    const deadline = Date.now() + 60_000;
    for (;;) {
      const before = await kube.stats();
      await timeCalls(calls.watch, 20);
      const after = await kube.stats();
      if (after.lists === before.lists && after.openWatches >= 1) break;
      if (Date.now() > deadline) throw new Error('the watch backend did not sync its informer within 60 s');
    }
    for (const call of Object.values(calls)) await timeCalls(call, 50);

    const sides: Side[] = ['bare', 'watch', 'direct', 'bareKeepAlive'];
    const samples: Record<Side, number[]> = { watch: [], direct: [], bare: [], bareKeepAlive: [] };
    const roundP50: Record<Side, number[]> = { watch: [], direct: [], bare: [], bareKeepAlive: [] };
    const apiRequests: Record<Side, number> = { watch: 0, direct: 0, bare: 0, bareKeepAlive: 0 };
    const apiLists: Record<Side, number> = { watch: 0, direct: 0, bare: 0, bareKeepAlive: 0 };
    const otherDuring: Record<Side, Record<string, number>> = { watch: {}, direct: {}, bare: {}, bareKeepAlive: {} };
    for (let round = 0; round < scenario.rounds; round++) {
      // A B C D, then D C B A: drift of the machine's load reaches every side alike.
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const before = await kube.stats();
        const latencies = await timeCalls(calls[side], scenario.calls);
        const after = await kube.stats();
        apiRequests[side] += after.requests - before.requests;
        apiLists[side] += after.lists - before.lists;
        for (const [kind, n] of Object.entries(after.otherKinds)) {
          otherDuring[side][kind] = (otherDuring[side][kind] ?? 0) + n - (before.otherKinds[kind] ?? 0);
        }
        samples[side].push(...latencies);
        roundP50[side].push(percentile([...latencies].sort((a, b) => a - b), 50));
      }
    }
    const p = (side: Side, q: number) => percentile([...samples[side]].sort((a, b) => a - b), q);
    const perCall = (side: Side) => apiRequests[side] / (scenario.rounds * scenario.calls);
    const scale = `${OWNED} of ${total.toLocaleString('en-US')} DevWorkspaces, sequential`;
    for (const q of [50, 99]) {
      report.add({
        benchmark: 'workspace listing',
        measure: `latency p${q}, GET /workspaces from the informer vs bare client-node list (${scale})`,
        value: p('watch', q),
        baseline: p('bare', q),
        unit: 'ms',
        ratio: p('watch', q) / p('bare', q),
        ...(q === 50 ? { target: 'ratio ≤ 0.5', pass: p('watch', q) / p('bare', q) <= 0.5 } : {}),
      });
      report.add({
        benchmark: 'workspace listing',
        measure: `latency p${q}, GET /workspaces listing directly (informer off, as before) vs bare list (${scale})`,
        value: p('direct', q),
        baseline: p('bare', q),
        unit: 'ms',
        ratio: p('direct', q) / p('bare', q),
      });
    }
    report.add({
      benchmark: 'workspace listing',
      measure: `latency p50, median of the ${scenario.rounds} rounds' p50s, informer vs bare (${scale})`,
      value: median(roundP50.watch),
      baseline: median(roundP50.bare),
      unit: 'ms',
      ratio: median(roundP50.watch) / median(roundP50.bare),
    });
    report.add({
      benchmark: 'workspace listing',
      measure: `API-server requests (all kinds) per GET /workspaces, informer vs direct (${scale}; DevWorkspace lists among them: ${apiLists.watch} vs ${apiLists.direct})`,
      value: perCall('watch'),
      baseline: perCall('direct'),
      unit: 'requests',
      ratio: perCall('watch') / perCall('direct'),
      target: 'no list once synced',
      pass: apiLists.watch === 0,
    });
    // The route's floor: the same request refused by validation after authentication, so
    // everything but reading the workspaces and the answer (HTTP hop, guard, OpenAPI validation).
    const floor = await timeCalls(async () => {
      const { status } = await getJson(`${urls.watch}?status=bogus`, { authorization: `Bearer ${tokens.watch}` }, agent);
      if (status !== 400) throw new Error(`GET /workspaces?status=bogus answered ${status}`);
    }, scenario.calls);
    const floorP50 = percentile(floor.sort((a, b) => a - b), 50);
    report.add({
      benchmark: 'workspace listing',
      measure: `latency p50 of the route without reading workspaces (400 on a bad query) vs the bare list (${scale})`,
      value: floorP50,
      baseline: p('bare', 50),
      unit: 'ms',
      ratio: floorP50 / p('bare', 50),
    });
    const rss = { watch: rssMiB(watchBackend.pid), direct: rssMiB(directBackend.pid) };
    report.add({
      benchmark: 'workspace listing',
      measure: `backend resident memory, informer vs direct (${total.toLocaleString('en-US')} DevWorkspaces cached)`,
      value: rss.watch,
      baseline: rss.direct,
      unit: 'MiB',
      ratio: rss.watch / rss.direct,
    });

    if (scenario.load) {
      const { users, intervalMs, seconds } = scenario.load;
      const perMinute: Record<'watch' | 'direct', number> = { watch: 0, direct: 0 };
      const failedLists: Record<'watch' | 'direct', number> = { watch: 0, direct: 0 };
      const failureReasons: Record<'watch' | 'direct', Record<string, number>> = { watch: {}, direct: {} };
      const latencies: Record<'watch' | 'direct', number[]> = { watch: [], direct: [] };
      for (const backend of ['direct', 'watch'] as const) {
        const list = listVia(backend);
        // Under this load a list may fail (e.g. 504 from an overloaded API server): counted, not fatal.
        const call = async () => {
          const t0 = performance.now();
          try {
            await list();
            latencies[backend].push(performance.now() - t0);
          } catch (error) {
            failedLists[backend] += 1;
            const reason = String((error as Error)?.message ?? error).slice(0, 120);
            failureReasons[backend][reason] = (failureReasons[backend][reason] ?? 0) + 1;
          }
        };
        const before = await kube.stats();
        const startedAt = performance.now();
        const runs: Promise<void>[] = [];
        // Each user lists every intervalMs (as a page polling on a timer, not waiting for the last
        // answer), the users' first lists spread evenly over one interval.
        for (let u = 0; u < users; u++) {
          for (let at = (u * intervalMs) / users; at < seconds * 1000; at += intervalMs) {
            runs.push(new Promise<void>(resolve => setTimeout(resolve, at)).then(call));
          }
        }
        await Promise.all(runs);
        const elapsedMinutes = (performance.now() - startedAt) / 60_000;
        perMinute[backend] = ((await kube.stats()).requests - before.requests) / elapsedMinutes;
      }
      report.add({
        benchmark: 'workspace listing',
        measure: `API-server requests per minute, ${users} users listing every ${intervalMs / 1000} s for ${seconds} s: informer vs direct (before)`,
        value: perMinute.watch,
        baseline: perMinute.direct,
        unit: 'requests/min',
        ratio: perMinute.watch / perMinute.direct,
      });
      const loadP50 = (b: 'watch' | 'direct') => percentile([...latencies[b]].sort((x, y) => x - y), 50);
      const loadP99 = (b: 'watch' | 'direct') => percentile([...latencies[b]].sort((x, y) => x - y), 99);
      for (const [q, f] of [[50, loadP50], [99, loadP99]] as const) {
        report.add({
          benchmark: 'workspace listing',
          measure: `latency p${q} under that load, informer vs direct (failed lists: ${failedLists.watch} vs ${failedLists.direct})`,
          value: f('watch'),
          baseline: f('direct'),
          unit: 'ms',
          ratio: f('watch') / f('direct'),
        });
      }
      const reasons = (b: 'watch' | 'direct') =>
        Object.entries(failureReasons[b]).map(([reason, n]) => `${n}× ${reason}`).join('; ') || 'none';
      report.note(
        `workspace listing under load (${users} users every ${intervalMs / 1000} s, one list each, the direct backend first): ` +
          `failed lists with the informer: ${reasons('watch')}; direct: ${reasons('direct')}.`,
      );
    }
    report.note(
      `workspace listing (${total.toLocaleString('en-US')}): ${total.toLocaleString('en-US')} DevWorkspaces built with ` +
        "che-launcher's own buildDevWorkspace (its owner-hash and managed-by labels, owner annotation; a third running) " +
        `in ${kube.namespaces} user namespaces, ${OWNED} owned by ${GUEST} (the guest sign-in's user, checked in its ` +
        'token), seeded into the Kubernetes API test server running in its own process (its idle-connection timeout ' +
        'lifted, as a real API server keeps connections). Two backends on it: one with the DevWorkspace informer (the ' +
        'default), one with `cheLauncher.kubernetes.informer.enabled: false` (every list asks the API server, as before). ' +
        `Baseline: client-node listClusterCustomObject with the same label selector from the bench process. ` +
        `${scenario.rounds} rounds of ${scenario.calls} sequential calls per side, the sides' order reversed every other round, each timed from request ` +
        'to parsed body; the routes are called without compression (as autocannon does). API-server requests from the ' +
        `test server's request counter: ${apiRequests.watch} (${apiLists.watch} of them lists) during the informer ` +
        `side's ${scenario.rounds * scenario.calls} calls, ${apiRequests.direct} (${apiLists.direct} lists) during the ` +
        "direct side's; requests other than lists are watch renewals and scheduled tasks (the orphan sweep). " +
        `Other requests during the informer side's calls: ${describeKinds(otherDuring.watch)}; during the direct side's: ${describeKinds(otherDuring.direct)}. ` +
        `Resident memory of the two backend processes after the ` +
        `rounds: ${rss.watch.toFixed(0)} MiB with the informer, ${rss.direct.toFixed(0)} MiB without.`,
    );
  } finally {
    agent.destroy();
    await Promise.all(backends.map(b => b.stop()));
    await kube.stop();
  }
}

/**
 * Workspace listing at 2,000 DevWorkspaces (latency, requests per list, and API-server requests
 * per minute with 500 users listing every 10 s) and at 10,000 (latency and memory).
 */
export async function benchWorkspaceListing(
  report: Report,
  opts: { calls: number; rounds: number; nodeArgs?: string[]; load?: Scenario['load'] },
) {
  await benchScenario(
    report,
    { total: 2000, calls: opts.calls, rounds: opts.rounds, load: opts.load ?? { users: 500, intervalMs: 10_000, seconds: 30 } },
    opts.nodeArgs,
  );
  await benchScenario(report, { total: 10_000, calls: opts.calls, rounds: opts.rounds }, opts.nodeArgs);
}
