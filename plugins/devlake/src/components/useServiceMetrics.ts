import type { DoraMetricsResponse } from '@fawkes/plugin-devlake-common';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEffect, useState } from 'react';
import { devlakeApiRef } from '../api/DevLakeApi';
import { describeDevLakeError } from './describeError';

export type ServiceMetricsState =
  | { status: 'loading' }
  | { status: 'loaded'; response: DoraMetricsResponse }
  | { status: 'error'; error: unknown };

/**
 * Services per `POST /dora-metrics/batch` (the backend takes up to 100): a table page's worth,
 * so the first page fills from the first answer and a team of 120 costs 5 requests, not 120.
 */
export const BATCH_SIZE = 25;
/** Batches in flight at once. */
const CONCURRENCY = 2;
/** A 429 is retried after its Retry-After when that is at most this long. */
const MAX_RETRY_WAIT_SECONDS = 60;
const MAX_ATTEMPTS = 3;

/** A project's own failure inside a batch answer (DevLake does not know it), as an error. */
function itemError(error: { status: number; message: string }): Error {
  return Object.assign(new Error(error.message), { status: error.status });
}

/**
 * Each service's metrics, loaded in batches so rows fill in progressively at a few requests
 * per team; a 429 waits for its Retry-After and tries again.
 */
export function useServiceMetrics(
  services: string[] | undefined,
  request: { startDate?: string; endDate?: string },
): Map<string, ServiceMetricsState> {
  const api = useApi(devlakeApiRef);
  const [states, setStates] = useState(new Map<string, ServiceMetricsState>());
  const key = services?.join('\n');

  useEffect(() => {
    if (!services) return undefined;
    let cancelled = false;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const sleep = (ms: number) =>
      new Promise<void>(resolve => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      });
    const set = (updates: Array<[string, ServiceMetricsState]>) =>
      !cancelled &&
      setStates(prev => {
        const next = new Map(prev);
        for (const [name, state] of updates) next.set(name, state);
        return next;
      });

    setStates(new Map(services.map(name => [name, { status: 'loading' }])));
    const queue: string[][] = [];
    for (let i = 0; i < services.length; i += BATCH_SIZE) queue.push(services.slice(i, i + BATCH_SIZE));
    const worker = async () => {
      for (let batch = queue.shift(); batch !== undefined && !cancelled; batch = queue.shift()) {
        for (let attempt = 1; ; attempt++) {
          try {
            const { items } = await api.getDoraMetricsBatch({ projects: batch, ...request });
            set(
              batch.map((name, i): [string, ServiceMetricsState] => {
                const item = items[i];
                if (item?.response) return [name, { status: 'loaded', response: item.response }];
                return [name, { status: 'error', error: itemError(item?.error ?? { status: 500, message: 'No answer for this service' }) }];
              }),
            );
            break;
          } catch (error) {
            const view = describeDevLakeError(error);
            const wait = view.retryAfterSeconds;
            if (view.status === 429 && wait !== undefined && wait <= MAX_RETRY_WAIT_SECONDS && attempt < MAX_ATTEMPTS && !cancelled) {
              await sleep(Math.max(wait, 1) * 1000);
              continue;
            }
            set(batch.map(name => [name, { status: 'error', error }]));
            break;
          }
        }
      }
    };
    Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
    return () => {
      cancelled = true;
      timers.forEach(clearTimeout);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, request.startDate, request.endDate]);

  return states;
}
