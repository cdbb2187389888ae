import { DeploymentDaysRule, DORA_THRESHOLDS, DoraBenchmark, DoraPerformance } from '@fawkes/plugin-devlake-common';
import { DeploymentDayMedians } from './calendar';

const medianKey = { week: 'perWeek', month: 'perMonth', sixMonths: 'perSixMonths' } as const;

/**
 * Deployment frequency class from median deployment days (DevLake's `>=` comparisons,
 * evaluated top-down). A null median fails its comparison, as NULL does in SQL. The lowest
 * class also needs the dashboard's `is_collected` (non-null exactly when the six-month median
 * is); without it the dashboard shows N/A, returned here as null.
 */
export function deploymentFrequencyPerformance(
  medians: DeploymentDayMedians,
  report: DoraBenchmark,
): DoraPerformance | null {
  const meets = (rule: DeploymentDaysRule) => {
    const value = medians[medianKey[rule.per]];
    return value !== null && value >= rule.atLeast;
  };
  const { elite, high, medium } = DORA_THRESHOLDS[report].deploymentDays;
  if (meets(elite)) return 'elite';
  if (meets(high)) return 'high';
  if (meets(medium)) return 'medium';
  const collected = medians.perSixMonths !== null;
  // The 2023 dashboard's lowest class also compares the monthly median.
  if (report === '2023') return collected && medians.perMonth !== null ? 'low' : null;
  return collected ? 'low' : null;
}

/** The class of a value under three ascending bounds, strictly below (`<`) or at most (`<=`). */
function classify(value: number, bounds: readonly [number, number, number], inclusive: boolean): DoraPerformance {
  const within = (bound: number) => (inclusive ? value <= bound : value < bound);
  if (within(bounds[0])) return 'elite';
  if (within(bounds[1])) return 'high';
  if (within(bounds[2])) return 'medium';
  return 'low';
}

const hoursToMinutes = (bounds: readonly [number, number, number]) =>
  bounds.map(h => h * 60) as unknown as readonly [number, number, number];

/** Lead time class from the median in minutes (`<`). */
export function leadTimePerformance(minutes: number, report: DoraBenchmark): DoraPerformance {
  return classify(minutes, hoursToMinutes(DORA_THRESHOLDS[report].leadTimeForChangesHours), false);
}

/** Change failure rate class from a ratio in [0, 1] (`<=`). */
export function changeFailureRatePerformance(ratio: number, report: DoraBenchmark): DoraPerformance {
  // percent / 100 is the same double as the ratio literal (15 / 100 === 0.15); ratio * 100 is not.
  const bounds = DORA_THRESHOLDS[report].changeFailureRatePercent.map(p => p / 100) as unknown as readonly [number, number, number];
  return classify(ratio, bounds, true);
}

/** Time to restore (2021) / failed deployment recovery time (2023) class, minutes (`<`). */
export function recoveryPerformance(minutes: number, report: DoraBenchmark = '2023'): DoraPerformance {
  return classify(minutes, hoursToMinutes(DORA_THRESHOLDS[report].timeToRestoreServiceHours), false);
}
