import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { BackendProcess, startBackendProcess } from '@fawkes/e2e-utils';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { generateLoad, LoadResult } from '../lib/loadGenerator';
import { median } from '../lib/median';
import { processCpuMs } from '../lib/processCpu';
import { Report } from '../lib/report';

const token = 'dev-service-token-change-me';
// Requests per second for the CPU measurement: well below what either route serves here.
const fixedRate = 300;

/** The guard's two kinds of rate-limit store. */
interface Variant {
  store: 'memory' | 'redis';
}

const variants: Variant[] = [{ store: 'memory' }, { store: 'redis' }];

const label = (v: Variant) => `${v.store} store`;

/** One measurement of a route: its load result and the backend's CPU time per request. */
interface Sample {
  load: LoadResult;
  cpuUsPerRequest: number;
}

/**
 * Guard overhead: the same trivial authenticated route with the guard (authentication +
 * per-principal rate limit + error renderer) and without it (Backstage's credentials barrier
 * only), with the guard's memory and its Redis rate-limit store, side by side in one run: one
 * backend process per store, each serving both routes. Each
 * round measures, for every variant in a rotating order, its plain and its guarded route back
 * to back (which one first alternates), so each ratio compares two measurements of one process
 * seconds apart; figures are medians over the rounds. Besides throughput, the backend's CPU
 * time per request (from /proc) is compared, which other load on the machine hardly moves.
 */
export async function benchGuardOverhead(
  report: Report,
  opts: { seconds: number; rounds: number; redisUrl: string },
): Promise<void> {
  const backends = new Map<Variant, BackendProcess>();
  try {
    for (const variant of variants) {
      const store =
        variant.store === 'redis'
          ? { type: 'redis', connection: opts.redisUrl, prefix: `bench:${randomUUID()}:` }
          : { type: 'memory' };
      backends.set(
        variant,
        await startBackendProcess({
          entry: join(resolvePackagePath('@fawkes/bench'), 'src/backends/guardProbeBackend.ts'),
          // A budget the load cannot exhaust: every request is still counted, none refused.
          config: [{ apiGuard: { rateLimit: { store, service: { limit: 1_000_000_000 } } } }],
          env: { NODE_ENV: 'production' },
          readyTimeoutMs: 240_000,
        }),
      );
    }
    const load = (backend: BackendProcess, plugin: string, durationSec: number, overallRate?: number) =>
      generateLoad({
        url: `${backend.baseUrl}/api/${plugin}/ping`,
        headers: { authorization: `Bearer ${token}` },
        connections: 20,
        durationSec,
        overallRate,
      });
    const measure = async (backend: BackendProcess, plugin: string, durationSec: number): Promise<Sample> => {
      // Throughput: as fast as the backend answers.
      const saturated = await load(backend, plugin, durationSec);
      // CPU per request: at one fixed rate below capacity for every route, so that each does the
      // same number of event-loop turns per request (a saturated loop batches more per turn).
      const cpuBefore = processCpuMs(backend.pid);
      const paced = await load(backend, plugin, durationSec, fixedRate);
      const cpuMs = processCpuMs(backend.pid) - cpuBefore;
      const bad = [...Object.keys(saturated.statusCounts), ...Object.keys(paced.statusCounts)].filter(code => code !== '200');
      if (bad.length) {
        throw new Error(`guard overhead run answered non-200 statuses on ${plugin}: ${bad.join(', ')}`);
      }
      return { load: saturated, cpuUsPerRequest: (cpuMs * 1000) / Math.max(paced.total, 1) };
    };
    for (const backend of backends.values()) {
      await load(backend, 'bench-plain', 2);
      await load(backend, 'bench-guarded', 2);
    }

    type Pair = { plain: Sample; guarded: Sample };
    const pairs = new Map<Variant, Pair[]>(variants.map(v => [v, []]));
    for (let round = 0; round < opts.rounds; round++) {
      const order = variants.map((_, i) => variants[(i + round) % variants.length]);
      for (const variant of order) {
        const backend = backends.get(variant)!;
        if (round % 2 === 0) {
          const plain = await measure(backend, 'bench-plain', opts.seconds);
          pairs.get(variant)!.push({ plain, guarded: await measure(backend, 'bench-guarded', opts.seconds) });
        } else {
          const guarded = await measure(backend, 'bench-guarded', opts.seconds);
          pairs.get(variant)!.push({ plain: await measure(backend, 'bench-plain', opts.seconds), guarded });
        }
      }
    }

    const throughputRatio = (v: Variant) => median(pairs.get(v)!.map(p => p.guarded.load.requestsPerSec / p.plain.load.requestsPerSec));
    // Plain CPU per request over guarded: the throughput ratio a CPU-bound process would reach.
    const cpuRatio = (v: Variant) => median(pairs.get(v)!.map(p => p.plain.cpuUsPerRequest / p.guarded.cpuUsPerRequest));
    const med = (v: Variant, side: keyof Pair, get: (s: Sample) => number) => median(pairs.get(v)!.map(p => get(p[side])));
    for (const variant of variants) {
      const ratio = throughputRatio(variant);
      report.add({
        benchmark: 'guard overhead',
        measure: `throughput, guarded vs plain route (${label(variant)}), median of ${opts.rounds} paired rounds`,
        value: med(variant, 'guarded', s => s.load.requestsPerSec),
        baseline: med(variant, 'plain', s => s.load.requestsPerSec),
        unit: 'req/s',
        ratio,
        target: variant.store === 'memory' ? 'ratio ≥ 0.95' : undefined,
        pass: variant.store === 'memory' ? ratio >= 0.95 : undefined,
        note: `per-round ratios ${pairs.get(variant)!.map(p => (p.guarded.load.requestsPerSec / p.plain.load.requestsPerSec).toFixed(2)).join(', ')}`,
      });
      report.add({
        benchmark: 'guard overhead',
        measure: `backend CPU per request, plain over guarded (${label(variant)})`,
        value: med(variant, 'guarded', s => s.cpuUsPerRequest),
        baseline: med(variant, 'plain', s => s.cpuUsPerRequest),
        unit: 'µs CPU/request',
        ratio: cpuRatio(variant),
        note: `at ${fixedRate} req/s for every route; ratio = plain µs / guarded µs, the throughput ratio of a CPU-bound process`,
      });
      report.add({
        benchmark: 'guard overhead',
        measure: `latency p50 (${label(variant)})`,
        value: med(variant, 'guarded', s => s.load.p50Ms),
        baseline: med(variant, 'plain', s => s.load.p50Ms),
        unit: 'ms',
        ratio: med(variant, 'guarded', s => s.load.p50Ms) / med(variant, 'plain', s => s.load.p50Ms),
      });
    }

    const describe = (v: Variant) =>
      `${label(v)} ${throughputRatio(v).toFixed(3)} throughput / ${cpuRatio(v).toFixed(3)} CPU ` +
      `(${med(v, 'guarded', s => s.cpuUsPerRequest).toFixed(0)} µs vs ${med(v, 'plain', s => s.cpuUsPerRequest).toFixed(0)} µs)`;
    report.note(
      `guard overhead: one backend process per rate-limit store, each serving the plain and the guarded ` +
        `route; autocannon (20 connections, ${opts.seconds} s as fast as answered, then ${opts.seconds} s at ${fixedRate} req/s for the CPU per request, ${opts.rounds} paired rounds in a rotating ` +
        `order) in its own process. Medians of the per-round ratios guarded/plain: ${variants.map(describe).join('; ')}. ` +
        'Throughput ratios scatter when other processes load the machine (see the per-round ratios); CPU per request ' +
        'at a fixed rate scatters less. The limiter is rate-limiter-flexible: measured side by side with express-rate-limit ' +
        '(the previous limiter) in one run, in one process, interleaved, it spent 2.2 µs of CPU per request against 3.9 µs ' +
        'with the memory store and 8.1 µs against 11.2 µs with Redis (medians of 10 batches), so it replaced it.',
    );
  } finally {
    await Promise.all([...backends.values()].map(b => b.stop()));
  }
}
