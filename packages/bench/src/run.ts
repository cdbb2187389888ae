/* eslint-disable no-console */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { join } from 'node:path';
import { benchGuardOverhead } from './benchmarks/guardOverhead';
import { benchRateLimitExactness } from './benchmarks/rateLimitExactness';
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
  console.log(`\n${report.table()}\n`);
  const out = join(resolvePackagePath('@fawkes/bench'), '../../docs/benchmarks.md');
  report.write(out, method);
  console.log(`wrote ${out} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
