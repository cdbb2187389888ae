import { lowerMedian, upperMedian } from './median';

const dayMs = 24 * 60 * 60 * 1000;

/** The UTC calendar day of an instant, as `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Monday of the (UTC) week of a `YYYY-MM-DD` day — MySQL's `WEEKDAY()` is 0 on Monday. */
export function weekOf(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return utcDay(ms - weekday * dayMs);
}

/** First day of the month of a `YYYY-MM-DD` day. */
export function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/**
 * The dashboard's calendar for a range: the UTC days of `to − n days` for n = 0…999 while
 * `to − n days` is after `from` (so at most 1000 days, `from` exclusive), oldest first.
 */
export function calendarDays(fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  for (let n = 0; n < 1000; n++) {
    const at = toMs - n * dayMs;
    if (at <= fromMs) break;
    days.push(utcDay(at));
  }
  return days.reverse();
}

/** The inclusive last day of the Monday-based week starting on `monday`. */
export function weekEnd(monday: string): string {
  return utcDay(Date.parse(`${monday}T00:00:00Z`) + 6 * dayMs);
}

/** The last day of the month starting on `first`. */
export function monthEnd(first: string): string {
  const [y, m] = first.split('-').map(Number);
  return utcDay(Date.UTC(y, m, 0));
}

export interface DeploymentDayMedians {
  /** Lower median of distinct deployment days per (Monday-based) week, empty weeks as 0. */
  perWeek: number | null;
  /** Lower median of distinct deployment days per calendar month, empty months as 0. */
  perMonth: number | null;
  /**
   * Upper median of six-month rolling sums sampled every 6th month from the newest (per
   * partition). Null when no sample ranks at or above 0.5 — then the dashboard's
   * `is_collected` is NULL too, and a level below "medium" reads N/A.
   */
  perSixMonths: number | null;
}

/**
 * DevLake's deployment-frequency inputs: deployment days (distinct UTC days with at least
 * one deployment) bucketed by week and month over the calendar, buckets without deployments
 * counting as 0, plus the six-month rolling sums.
 */
export function deploymentDayMedians(calendar: string[], deploymentTimes: number[]): DeploymentDayMedians {
  const deploymentDays = new Set(deploymentTimes.map(utcDay));
  const weeks = new Map<string, number>();
  const months = new Map<string, number>();
  for (const day of calendar) {
    const hit = deploymentDays.has(day) ? 1 : 0;
    weeks.set(weekOf(day), (weeks.get(weekOf(day)) ?? 0) + hit);
    months.set(monthOf(day), (months.get(monthOf(day)) ?? 0) + hit);
  }
  const monthKeys = [...months.keys()].sort();
  const monthly = monthKeys.map(k => months.get(k)!);
  // SUM(...) OVER (ORDER BY month ROWS 5 PRECEDING), then keep ROW_NUMBER() % 6 = 1 where the
  // row number runs newest first within PARTITION BY DATE_FORMAT(month, '%Y-%m') DIV 6: MySQL
  // reads '2027-05' as the number 2027, so the partitions are the years y with the same
  // floor(y / 6) (2022–2027, 2028–2033, …), and each partition is sampled from its own newest month.
  const rolling = monthly.map((_, i) => monthly.slice(Math.max(0, i - 5), i + 1).reduce((a, b) => a + b, 0));
  const partitionOf = (month: string) => Math.floor(Number(month.slice(0, 4)) / 6);
  const sampled = rolling.filter((_, i) => {
    const partition = partitionOf(monthKeys[i]);
    let rowNumber = 1;
    for (let j = i + 1; j < monthKeys.length && partitionOf(monthKeys[j]) === partition; j++) rowNumber++;
    return rowNumber % 6 === 1;
  });
  return {
    perWeek: lowerMedian([...weeks.values()]),
    perMonth: lowerMedian(monthly),
    perSixMonths: upperMedian(sampled),
  };
}
