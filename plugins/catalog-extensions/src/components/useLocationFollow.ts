import type { LocationStatusResponse } from '@fawkes/plugin-catalog-extensions-common';
import { useApi } from '@backstage/frontend-plugin-api';
import { useCallback, useEffect, useRef, useState } from 'react';
import { catalogExtensionsApiRef } from '../api/CatalogExtensionsApi';

export interface FollowOptions {
  /** First delay between status reads; default 1 s, growing ×1.5 up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** How long to follow before handing the next check to the user; default 2 minutes. */
  giveUpAfterMs?: number;
}

export interface FollowState {
  status?: LocationStatusResponse;
  error?: unknown;
  /** Still processing after `giveUpAfterMs`: the page offers "Check again". */
  gaveUp: boolean;
  checkAgain: () => void;
}

/** Reads `GET /locations/{id}` with back-off until the location is `registered` or `failed`. */
export function useLocationFollow(locationId: string | undefined, options: FollowOptions = {}): FollowState {
  const { minDelayMs = 1000, maxDelayMs = 5000, giveUpAfterMs = 120_000 } = options;
  const api = useApi(catalogExtensionsApiRef);
  const [state, setState] = useState<Omit<FollowState, 'checkAgain'>>({ gaveUp: false });
  const [round, setRound] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    setState({ gaveUp: false });
  }, [locationId]);

  useEffect(() => {
    if (!locationId) return undefined;
    let live = true;
    const started = Date.now();
    let delay = minDelayMs;
    const read = async () => {
      let status: LocationStatusResponse | undefined;
      let error: unknown;
      try {
        status = await api.getLocationStatus(locationId);
      } catch (e) {
        error = e;
      }
      if (!live) return;
      const done = status !== undefined && status.status !== 'processing';
      const gaveUp = !done && Date.now() - started >= giveUpAfterMs;
      setState(s => ({ status: status ?? s.status, error, gaveUp }));
      if (!done && !gaveUp) {
        timer.current = setTimeout(read, delay);
        delay = Math.min(delay * 1.5, maxDelayMs);
      }
    };
    void read();
    return () => {
      live = false;
      clearTimeout(timer.current);
    };
  }, [api, locationId, round, minDelayMs, maxDelayMs, giveUpAfterMs]);

  const checkAgain = useCallback(() => setRound(r => r + 1), []);
  return { ...state, checkAgain };
}
