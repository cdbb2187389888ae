import { DoraTrend } from '@fawkes/plugin-devlake-common';

/** Relative change within ±10 % of the previous value counts as stable (edges included). */
export const STABLE_BAND = 0.1;

/**
 * Trend of a metric against the previous period of equal length. It names the direction of
 * the value. From 0 to 0 is stable; from 0 to anything above is increasing. Null when either
 * side has no value.
 */
export function trendOf(current: number | null, previous: number | null): DoraTrend | null {
  if (current === null || previous === null) return null;
  if (previous === 0) {
    if (current === 0) return 'stable';
    return current > 0 ? 'increasing' : 'decreasing';
  }
  const change = (current - previous) / Math.abs(previous);
  // Compare with a tiny tolerance so that exactly ±10 % (in decimal arithmetic) is stable.
  if (Math.abs(change) <= STABLE_BAND + 1e-9) return 'stable';
  return change > 0 ? 'increasing' : 'decreasing';
}
