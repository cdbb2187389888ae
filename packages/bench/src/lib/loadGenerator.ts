import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  /** How long the run lasted (s). */
  durationSec: number;
  statusCounts: Record<string, number>;
  /** Requests that got no response: connection errors and client timeouts. */
  errors: number;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  /** Run for this many seconds, or until `amount` requests were sent. */
  durationSec?: number;
  amount?: number;
  /** Seconds before a request counts as timed out; autocannon's default is 10. */
  timeoutSec?: number;
  /** A fixed request rate over all connections instead of as fast as the server answers. */
  overallRate?: number;
  /**
   * Run autocannon in this (the benchmark's) process instead of a new one: no Node start-up
   * competing with the measured server before each run, for many short runs in a row. The
   * benchmark process must be otherwise idle meanwhile.
   */
  inProcess?: boolean;
}

/**
 * Drives load with autocannon in its own process, so the load generator never competes
 * with the measured server for the same event loop.
 */
export async function generateLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.inProcess) return toLoadResult(await runInProcess(options));
  const args = [
    require.resolve('autocannon/autocannon.js'),
    '--json',
    '--connections',
    String(options.connections),
    ...(options.amount ? ['--amount', String(options.amount)] : ['--duration', String(options.durationSec ?? 10)]),
    ...(options.timeoutSec ? ['--timeout', String(options.timeoutSec)] : []),
    ...(options.overallRate ? ['--overallRate', String(options.overallRate)] : []),
    ...Object.entries(options.headers ?? {}).flatMap(([key, value]) => ['--headers', `${key}=${value}`]),
    options.url,
  ];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 });
  return toLoadResult(JSON.parse(stdout));
}

function runInProcess(options: LoadOptions): Promise<any> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon');
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.durationSec ?? 10 }),
        ...(options.timeoutSec ? { timeout: options.timeoutSec } : {}),
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
        headers: options.headers ?? {},
      },
      (error: unknown, result: any) => (error ? reject(error) : resolve(result)),
    );
  });
}

function toLoadResult(result: any): LoadResult {
  const statusCounts: Record<string, number> = {};
  for (const [code, { count }] of Object.entries<{ count: number }>(result.statusCodeStats ?? {})) {
    statusCounts[code] = count;
  }
  const total = Object.values(statusCounts).reduce((sum, n) => sum + n, 0);
  return {
    requestsPerSec: result.requests.average,
    durationSec: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total,
    statusCounts,
    errors: (result.errors ?? 0) + (result.timeouts ?? 0),
  };
}
