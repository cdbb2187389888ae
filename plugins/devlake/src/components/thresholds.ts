import type { DoraBenchmark, DoraPerformance } from '@fawkes/plugin-devlake-common';
import type { DoraSeriesInterval } from '@fawkes/plugin-devlake-common';

/** A value range of one performance level, as drawn behind a chart. */
export interface LevelBand {
  level: DoraPerformance;
  from: number;
  /** Open-ended when undefined. */
  to?: number;
}

function bands(levels: DoraPerformance[], edges: number[]): LevelBand[] {
  return levels.map((level, i) => ({ level, from: i === 0 ? 0 : edges[i - 1], to: edges[i] }));
}

const best: DoraPerformance[] = ['elite', 'high', 'medium', 'low'];
const frequencyOrder: DoraPerformance[] = ['low', 'medium', 'high', 'elite'];

/**
 * The report's thresholds (the backend's levels, DevLake's DORA dashboard) as chart bands.
 * Deployment frequency's levels count deployment days (for 2023: a median of 5 a week elite,
 * 1 a week high, 1 a month medium); drawn per week or per month bucket.
 */
export function levelBands(
  metric: 'deploymentDays' | 'leadTimeForChanges' | 'changeFailureRate' | 'timeToRestoreService',
  report: DoraBenchmark,
  interval: DoraSeriesInterval,
): LevelBand[] {
  switch (metric) {
    case 'leadTimeForChanges':
      return report === '2021' ? bands(best, [1, 168, 4320]) : bands(best, [24, 168, 720]);
    case 'changeFailureRate':
      return report === '2021' ? bands(best, [15, 20, 30]) : bands(best, [5, 10, 15]);
    case 'timeToRestoreService':
      return bands(best, [1, 24, 168]);
    case 'deploymentDays': {
      // Days in the bucket: a week, or a month of 30.44 days.
      const days = interval === 'week' ? 7 : 30.44;
      const perWeek = days / 7;
      const perMonth = days / 30.44;
      const perSixMonths = days / 182.5;
      // 2023: elite 5/week, high 1/week, medium 1/month; 2021: elite 5/week, high 1/month, medium 1/six months.
      const [medium, high] = report === '2021' ? [perSixMonths, perMonth] : [perMonth, perWeek];
      return bands(frequencyOrder, [medium, high, 5 * perWeek]);
    }
    default:
      return [];
  }
}
