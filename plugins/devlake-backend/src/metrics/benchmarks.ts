import { DoraBenchmark, DoraPerformance } from '@fawkes/plugin-devlake-common';
import { DeploymentDayMedians } from './calendar';

const hour = 60;
const dayMinutes = 24 * hour;

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
  const atLeast = (value: number | null, threshold: number) => value !== null && value >= threshold;
  const collected = medians.perSixMonths !== null;
  if (atLeast(medians.perWeek, 5)) return 'elite';
  if (report === '2021') {
    if (atLeast(medians.perMonth, 1)) return 'high';
    if (atLeast(medians.perSixMonths, 1)) return 'medium';
    return collected ? 'low' : null;
  }
  if (atLeast(medians.perWeek, 1)) return 'high';
  if (atLeast(medians.perMonth, 1)) return 'medium';
  return collected && medians.perMonth !== null ? 'low' : null;
}

/** Lead time class from the median in minutes (`<`). */
export function leadTimePerformance(minutes: number, report: DoraBenchmark): DoraPerformance {
  if (report === '2021') {
    if (minutes < hour) return 'elite';
    if (minutes < 7 * dayMinutes) return 'high';
    if (minutes < 180 * dayMinutes) return 'medium';
    return 'low';
  }
  if (minutes < dayMinutes) return 'elite';
  if (minutes < 7 * dayMinutes) return 'high';
  if (minutes < 30 * dayMinutes) return 'medium';
  return 'low';
}

/** Change failure rate class from a ratio in [0, 1] (`<=`). */
export function changeFailureRatePerformance(ratio: number, report: DoraBenchmark): DoraPerformance {
  const [elite, high, medium] = report === '2021' ? [0.15, 0.2, 0.3] : [0.05, 0.1, 0.15];
  if (ratio <= elite) return 'elite';
  if (ratio <= high) return 'high';
  if (ratio <= medium) return 'medium';
  return 'low';
}

/** Time to restore (2021) / failed deployment recovery time (2023) class, minutes (`<`). */
export function recoveryPerformance(minutes: number): DoraPerformance {
  if (minutes < hour) return 'elite';
  if (minutes < dayMinutes) return 'high';
  if (minutes < 7 * dayMinutes) return 'medium';
  return 'low';
}
