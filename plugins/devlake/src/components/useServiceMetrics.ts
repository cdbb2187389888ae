import type { DoraMetricsResponse } from '@fawkes/plugin-devlake-common';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEffect, useState } from 'react';
import { devlakeApiRef } from '../api/DevLakeApi';
import { describeDevLakeError } from './describeError';

export type ServiceMetricsState =
  | { status: 'loading' }
  | { status: 'loaded'; response: DoraMetricsResponse }
  | { status: 'error'; error: unknown };

/** Requests in flight at once: enough to fill a page fast, few enough for the rate limit. */
const CONCURRENCY = 6;
/** A 429 is retried after its Retry-After when that is at most this long. */
const MAX_RETRY_WAIT_SECONDS = 60;
const MAX_ATTEMPTS = 3;

/**
 * Each service's metrics, loaded a few at a time so rows fill in progressively; a 429 waits
 * for its Retry-After and tries again.
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
    const set = (name: string, state: ServiceMetricsState) =>
      !cancelled && setStates(prev => new Map(prev).set(name, state));

    setStates(new Map(services.map(name => [name, { status: 'loading' }])));
    const queue = [...services];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined && !cancelled; name = queue.shift()) {
        for (let attempt = 1; ; attempt++) {
          try {
            const response = await api.getDoraMetrics({ project: name, ...request });
            set(name, { status: 'loaded', response });
            break;
          } catch (error) {
            const view = describeDevLakeError(error);
            const wait = view.retryAfterSeconds;
            if (view.status === 429 && wait !== undefined && wait <= MAX_RETRY_WAIT_SECONDS && attempt < MAX_ATTEMPTS && !cancelled) {
              await sleep(Math.max(wait, 1) * 1000);
              continue;
            }
            set(name, { status: 'error', error });
            break;
          }
        }
      }
    };
    Promise.all(Array.from({ length: Math.min(CONCURRENCY, services.length) }, worker));
    return () => {
      cancelled = true;
      timers.forEach(clearTimeout);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, request.startDate, request.endDate]);

  return states;
}
