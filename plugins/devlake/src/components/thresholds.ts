import { DORA_THRESHOLDS, DeploymentDaysRule } from '@fawkes/plugin-devlake-common';
import type { DoraBenchmark, DoraPerformance, DoraSeriesInterval } from '@fawkes/plugin-devlake-common';

/** A value range of one performance level, as drawn behind a chart. */
export interface LevelBand {
  level: DoraPerformance;
  from: number;
  /** Open-ended when undefined. */
  to?: number;
}

function bands(levels: DoraPerformance[], edges: readonly number[]): LevelBand[] {
  return levels.map((level, i) => ({ level, from: i === 0 ? 0 : edges[i - 1], to: edges[i] }));
}

const best: DoraPerformance[] = ['elite', 'high', 'medium', 'low'];
const frequencyOrder: DoraPerformance[] = ['low', 'medium', 'high', 'elite'];
const daysPer: Record<DeploymentDaysRule['per'], number> = { week: 7, month: 30.44, sixMonths: 182.5 };

/**
 * The report's thresholds (`DORA_THRESHOLDS` of the -common package, which the backend's
 * levels use too) as chart bands. Deployment frequency's levels count deployment days per
 * week, month or six months; drawn scaled to a week or a month bucket.
 */
export function levelBands(
  metric: 'deploymentDays' | 'leadTimeForChanges' | 'changeFailureRate' | 'timeToRestoreService',
  report: DoraBenchmark,
  interval: DoraSeriesInterval,
): LevelBand[] {
  const thresholds = DORA_THRESHOLDS[report];
  switch (metric) {
    case 'leadTimeForChanges':
      return bands(best, thresholds.leadTimeForChangesHours);
    case 'changeFailureRate':
      return bands(best, thresholds.changeFailureRatePercent);
    case 'timeToRestoreService':
      return bands(best, thresholds.timeToRestoreServiceHours);
    case 'deploymentDays': {
      const bucketDays = interval === 'week' ? 7 : 30.44;
      const inBucket = (rule: DeploymentDaysRule) => (rule.atLeast * bucketDays) / daysPer[rule.per];
      const { medium, high, elite } = thresholds.deploymentDays;
      return bands(frequencyOrder, [inBucket(medium), inBucket(high), inBucket(elite)]);
    }
    default:
      return [];
  }
}
