/* eslint-disable no-console */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { join } from 'node:path';
import { benchDoraAtScale, mySqlServerFromEnv } from './benchmarks/doraAtScale';
import { benchCatalogQueries, parsePostgresUrl } from './benchmarks/catalogQueries';
import { benchGuardOverhead } from './benchmarks/guardOverhead';
import { benchRateLimitExactness } from './benchmarks/rateLimitExactness';
import { benchWorkspaceListing } from './benchmarks/workspaceListing';
import { Report } from './lib/report';

const method = `Each benchmark measures a figure and its baseline in the same run on the same machine,
and reports their ratio with the absolute numbers. Load comes from autocannon running in a
separate process. Backends run as real processes the way \`yarn start\` runs them minus the
file watcher (Node with Backstage's TypeScript loader), with NODE_ENV=production.`;

async function main() {
  const only = process.argv.slice(2);
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  const report = new Report();
  const started = Date.now();
  if (wanted('guard')) {
    console.log('guard overhead…');
    await benchGuardOverhead(report, { seconds: 6, rounds: 3 });
  }
  if (wanted('rate-limit')) {
    console.log('rate-limit exactness…');
    await benchRateLimitExactness(report, process.env.FAWKES_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
  }
  if (wanted('dora')) {
    console.log('dora at scale…');
    await benchDoraAtScale(report, mySqlServerFromEnv(), { coldWindows: 5, cachedSeconds: 2, cachedRounds: 2, dense: true });
  }
  if (wanted('catalog')) {
    console.log('catalog queries…');
    const postgres = parsePostgresUrl(process.env.FAWKES_BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432');
    await benchCatalogQueries(report, { postgres, seconds: 3, rounds: 3, connections: 8 });
  }
  if (wanted('workspaces')) {
    console.log('workspace listing…');
    await benchWorkspaceListing(report, { calls: 150, rounds: 3 });
  }
  console.log(`\n${report.table()}\n`);
  const out = join(resolvePackagePath('@fawkes/bench'), '../../docs/benchmarks.md');
  report.write(out, method);
  console.log(`wrote ${out} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
