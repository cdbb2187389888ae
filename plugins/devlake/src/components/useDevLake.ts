import { useApi } from '@backstage/frontend-plugin-api';
import { useCallback, useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { devlakeApiRef, DevLakeApi } from '../api/DevLakeApi';

/** Loads with the devlake API; `retry` runs the call again. */
export function useDevLake<T>(load: (api: DevLakeApi) => Promise<T>, deps: unknown[]) {
  const api = useApi(devlakeApiRef);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useAsyncRetry(() => load(api), [api, ...deps]);
}

/** Counts down from `seconds` once a second; null when there is nothing to wait for. */
export function useCountdown(seconds: number | undefined): number | undefined {
  const [left, setLeft] = useState(seconds);
  useEffect(() => setLeft(seconds), [seconds]);
  const tick = useCallback(() => setLeft(s => (s === undefined || s <= 0 ? s : s - 1)), []);
  useEffect(() => {
    if (left === undefined || left <= 0) return undefined;
    const timer = setTimeout(tick, 1000);
    return () => clearTimeout(timer);
  }, [left, tick]);
  return left;
}
