/* eslint-disable no-console */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { join } from 'node:path';
import { Report } from './lib/report';

// Each benchmark is loaded only when it runs, so one that cannot load does not stop the others.
function load<T>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path);
}

const method = `Each benchmark measures a figure and its baseline in the same run on the same machine,
and reports their ratio with the absolute numbers. The machine is shared (see the load average
above), so figure and baseline are measured in interleaved rounds (A B, B A, …) and the figures
are medians over the rounds, with the per-round ratios where they scatter. Load comes from
autocannon in a process other than the measured backend's. Backends run as real processes the
way \`yarn start\` runs them minus the file watcher (Node with Backstage's TypeScript loader),
with NODE_ENV=production.`;

interface Section {
  name: string;
  title: string;
  run(report: Report): Promise<void>;
}

const redisUrl = process.env.FAWKES_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

// The three figures first (guard, workspace listing, catalog), then the rest.
const sections: Section[] = [
  {
    name: 'guard',
    title: 'guard overhead',
    run: async report => {
      const { benchGuardOverhead } = load<typeof import('./benchmarks/guardOverhead')>('./benchmarks/guardOverhead');
      await benchGuardOverhead(report, { seconds: 1, rounds: { memory: 32, redis: 16 }, redisUrl });
      const { benchLimiterCandidates } = load<typeof import('./benchmarks/limiterCandidates')>('./benchmarks/limiterCandidates');
      await benchLimiterCandidates(report, { redisUrl, batches: 15, requests: 20_000, inFlight: 20 });
    },
  },
  {
    name: 'workspaces',
    title: 'workspace listing',
    run: async report => {
      const { benchWorkspaceListing } = load<typeof import('./benchmarks/workspaceListing')>('./benchmarks/workspaceListing');
      await benchWorkspaceListing(report, { calls: 75, rounds: 6 });
    },
  },
  {
    name: 'catalog',
    title: 'catalog queries',
    run: async report => {
      const { benchCatalogQueries, parsePostgresUrl } = load<typeof import('./benchmarks/catalogQueries')>('./benchmarks/catalogQueries');
      const postgres = parsePostgresUrl(process.env.FAWKES_BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432');
      await benchCatalogQueries(report, { postgres, seconds: 3, rounds: 3, connections: 8 });
    },
  },
  {
    name: 'rate-limit',
    title: 'rate-limit exactness',
    run: async report => {
      const { benchRateLimitExactness } = load<typeof import('./benchmarks/rateLimitExactness')>('./benchmarks/rateLimitExactness');
      await benchRateLimitExactness(report, redisUrl, { runs: 3 });
    },
  },
  {
    name: 'dora',
    title: 'dora at scale',
    run: async report => {
      const { benchDoraAtScale, mySqlServerFromEnv } = load<typeof import('./benchmarks/doraAtScale')>('./benchmarks/doraAtScale');
      await benchDoraAtScale(report, mySqlServerFromEnv(), { coldWindows: 5, cachedSeconds: 2, cachedRounds: 2, dense: true });
    },
  },
];

async function main() {
  const only = process.argv.slice(2);
  // `limiters` alone: the limiter candidates only (part of `guard` otherwise).
  if (only.length === 1 && only[0] === 'limiters') {
    const report = new Report();
    const { benchLimiterCandidates } = load<typeof import('./benchmarks/limiterCandidates')>('./benchmarks/limiterCandidates');
    await benchLimiterCandidates(report, { redisUrl, batches: 15, requests: 20_000, inFlight: 20 });
    console.log(`\n${report.table()}\n`);
    return;
  }
  const unknown = only.filter(name => !sections.some(s => s.name === name));
  if (unknown.length) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${sections.map(s => s.name).join(', ')}, limiters`);
  const chosen = sections.filter(s => only.length === 0 || only.includes(s.name));
  const report = new Report();
  const started = Date.now();
  const out = join(resolvePackagePath('@fawkes/bench'), '../../docs/benchmarks.md');
  const failed: string[] = [];
  for (const [i, section] of chosen.entries()) {
    console.log(`${section.title}…`);
    const sectionStarted = Date.now();
    try {
      await section.run(report);
    } catch (error) {
      // One benchmark that fails does not take the others' figures with it.
      failed.push(section.title);
      console.error(error);
      report.note(`${section.title}: the benchmark failed in this run: ${String((error as Error)?.message ?? error).slice(0, 300)}`);
    }
    console.log(`  (${section.title}: ${((Date.now() - sectionStarted) / 1000).toFixed(0)} s)`);
    if (only.length === 0) {
      // Written after every benchmark, so a run cut short still leaves the figures it measured.
      const pending = chosen.slice(i + 1).map(s => s.title);
      report.write(out, method, pending.length ? `Not yet measured when this file was written (the run was still going): ${pending.join(', ')}.` : undefined);
    }
  }
  console.log(`\n${report.table()}\n`);
  for (const note of report.notes) console.log(`- ${note}\n`);
  console.log(report.loadNote());
  const took = `${((Date.now() - started) / 1000).toFixed(0)} s`;
  if (only.length) {
    // A partial run must not replace the full report.
    console.log(`partial run (${only.join(', ')}) after ${took}; docs/benchmarks.md left as it is`);
  } else {
    console.log(`wrote ${out} after ${took}`);
  }
  if (failed.length) process.exitCode = 1;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
