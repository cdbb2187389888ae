import { useCallback, useEffect, useRef, useState } from 'react';

export interface PollingOptions<T> {
  /** Loads the current value. */
  load: () => Promise<T>;
  /** Whether the value is still changing by itself, so it should be loaded again. */
  isChanging: (value: T) => boolean;
  /** First delay after a change is seen; default 1 s. */
  minDelayMs?: number;
  /** Longest delay between loads; default 15 s. */
  maxDelayMs?: number;
}

export interface PollingState<T> {
  value?: T;
  error?: unknown;
  loading: boolean;
  /** Whether another load is scheduled (something is changing and the tab is visible). */
  polling: boolean;
  /** Loads now and restarts the back-off (after a user action). */
  refresh: () => Promise<void>;
}

function isHidden(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'hidden';
}

/**
 * Loads a value and, while `isChanging` says it is changing, loads it again with a growing (×1.5)
 * delay (min → max). Nothing is loaded while the tab is hidden; becoming visible loads at once.
 */
export function usePolling<T>(options: PollingOptions<T>): PollingState<T> {
  const { minDelayMs = 1000, maxDelayMs = 15_000 } = options;
  const [state, setState] = useState<{ value?: T; error?: unknown; loading: boolean; polling: boolean }>({
    loading: true,
    polling: false,
  });
  const latest = useRef(options);
  latest.current = options;
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const delay = useRef(minDelayMs);
  const generation = useRef(0);
  const mounted = useRef(true);
  const changing = useRef(false);
  const lastValue = useRef<T>();

  const run = useCallback(async (): Promise<void> => {
    clearTimeout(timer.current);
    const mine = ++generation.current;
    setState(s => ({ ...s, loading: true }));
    let next: { value?: T; error?: unknown };
    try {
      next = { value: await latest.current.load(), error: undefined };
    } catch (error) {
      next = { error };
    }
    if (!mounted.current || mine !== generation.current) return;
    if (next.error === undefined) {
      lastValue.current = next.value;
      changing.current = next.value !== undefined && latest.current.isChanging(next.value);
    }
    // After an error, keep trying with back-off if something was changing.
    const schedule = changing.current && !isHidden();
    if (schedule) {
      const wait = delay.current;
      delay.current = Math.min(delay.current * 1.5, maxDelayMs);
      timer.current = setTimeout(() => void run(), wait);
    } else if (!changing.current) {
      delay.current = minDelayMs;
    }
    setState({ value: lastValue.current, error: next.error, loading: false, polling: schedule });
  }, [minDelayMs, maxDelayMs]);

  const refresh = useCallback(() => {
    delay.current = minDelayMs;
    return run();
  }, [run, minDelayMs]);

  useEffect(() => {
    mounted.current = true;
    void run();
    const onVisibility = () => {
      if (isHidden()) {
        clearTimeout(timer.current);
        setState(s => ({ ...s, polling: false }));
      } else if (changing.current) {
        void run();
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      mounted.current = false;
      clearTimeout(timer.current);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [run]);

  return { ...state, refresh };
}
