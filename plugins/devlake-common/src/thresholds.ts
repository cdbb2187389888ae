import type { DoraBenchmark } from './types';

/**
 * A deployment-frequency level's condition: the median number of deployment days (distinct
 * UTC days with a deployment) per `per` is at least `atLeast`.
 *
 * @public
 */
export interface DeploymentDaysRule {
  per: 'week' | 'month' | 'sixMonths';
  atLeast: number;
}

/**
 * One DORA report's performance thresholds, as DevLake's DORA dashboard applies them.
 * Levels are evaluated top-down: elite, high, medium, else low.
 *
 * @public
 */
export interface DoraThresholds {
  /** Deployment frequency: the first rule met (`>=`) decides the level. */
  deploymentDays: { elite: DeploymentDaysRule; high: DeploymentDaysRule; medium: DeploymentDaysRule };
  /** Lead time for changes, hours: elite, high, medium below (`<`) each bound in turn. */
  leadTimeForChangesHours: readonly [number, number, number];
  /** Change failure rate, percent: elite, high, medium at or below (`<=`) each bound in turn. */
  changeFailureRatePercent: readonly [number, number, number];
  /** Time to restore (2021) / failed deployment recovery time (2023), hours (`<`). */
  timeToRestoreServiceHours: readonly [number, number, number];
}

/**
 * The thresholds of the DORA 2021 and 2023 reports (DevLake's DORA dashboard): the one source
 * for the backend's performance levels and the frontend's chart bands.
 *
 * @public
 */
export const DORA_THRESHOLDS: Readonly<Record<DoraBenchmark, DoraThresholds>> = {
  '2021': {
    deploymentDays: {
      elite: { per: 'week', atLeast: 5 },
      high: { per: 'month', atLeast: 1 },
      medium: { per: 'sixMonths', atLeast: 1 },
    },
    leadTimeForChangesHours: [1, 7 * 24, 180 * 24],
    changeFailureRatePercent: [15, 20, 30],
    timeToRestoreServiceHours: [1, 24, 7 * 24],
  },
  '2023': {
    deploymentDays: {
      elite: { per: 'week', atLeast: 5 },
      high: { per: 'week', atLeast: 1 },
      medium: { per: 'month', atLeast: 1 },
    },
    leadTimeForChangesHours: [24, 7 * 24, 30 * 24],
    changeFailureRatePercent: [5, 10, 15],
    timeToRestoreServiceHours: [1, 24, 7 * 24],
  },
};
