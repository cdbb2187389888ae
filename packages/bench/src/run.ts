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
and reports their ratio with the absolute numbers. Load comes from autocannon running in a
separate process. Backends run as real processes the way \`yarn start\` runs them minus the
file watcher (Node with Backstage's TypeScript loader), with NODE_ENV=production.`;

async function main() {
  const only = process.argv.slice(2);
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  const report = new Report();
  const started = Date.now();
  const redisUrl = process.env.FAWKES_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (wanted('guard')) {
    console.log('guard overhead…');
    const { benchGuardOverhead } = load<typeof import('./benchmarks/guardOverhead')>('./benchmarks/guardOverhead');
    await benchGuardOverhead(report, { seconds: 1, rounds: 24, redisUrl });
  }
  if (wanted('guard') || wanted('limiters')) {
    console.log('guard limiter candidates…');
    const { benchLimiterCandidates } = load<typeof import('./benchmarks/limiterCandidates')>('./benchmarks/limiterCandidates');
    await benchLimiterCandidates(report, { redisUrl, batches: 15, requests: 20_000, inFlight: 20 });
  }
  if (wanted('rate-limit')) {
    console.log('rate-limit exactness…');
    const { benchRateLimitExactness } = load<typeof import('./benchmarks/rateLimitExactness')>('./benchmarks/rateLimitExactness');
    await benchRateLimitExactness(report, redisUrl, { runs: 3 });
  }
  if (wanted('dora')) {
    console.log('dora at scale…');
    const { benchDoraAtScale, mySqlServerFromEnv } = load<typeof import('./benchmarks/doraAtScale')>('./benchmarks/doraAtScale');
    await benchDoraAtScale(report, mySqlServerFromEnv(), { coldWindows: 5, cachedSeconds: 2, cachedRounds: 2, dense: true });
  }
  if (wanted('catalog')) {
    console.log('catalog queries…');
    const { benchCatalogQueries, parsePostgresUrl } = load<typeof import('./benchmarks/catalogQueries')>('./benchmarks/catalogQueries');
    const postgres = parsePostgresUrl(process.env.FAWKES_BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432');
    await benchCatalogQueries(report, { postgres, seconds: 3, rounds: 3, connections: 8 });
  }
  if (wanted('workspaces')) {
    console.log('workspace listing…');
    const { benchWorkspaceListing } = load<typeof import('./benchmarks/workspaceListing')>('./benchmarks/workspaceListing');
    await benchWorkspaceListing(report, { calls: 75, rounds: 6 });
  }
  console.log(`\n${report.table()}\n`);
  for (const note of report.notes) console.log(`- ${note}\n`);
  console.log(report.loadNote());
  if (only.length) {
    // A partial run must not replace the full report.
    console.log(`partial run (${only.join(', ')}) after ${((Date.now() - started) / 1000).toFixed(0)} s; docs/benchmarks.md left as it is`);
    return;
  }
  const out = join(resolvePackagePath('@fawkes/bench'), '../../docs/benchmarks.md');
  report.write(out, method);
  console.log(`wrote ${out} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
