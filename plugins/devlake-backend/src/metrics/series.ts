import { DoraBenchmark, DoraSeriesBucket, DoraSeriesInterval } from '@fawkes/plugin-devlake-common';
import { calendarDays, monthEnd, monthOf, utcDay, weekEnd, weekOf } from './calendar';
import {
  DoraRows,
  deployedCycleTimes,
  failureRatioTenThousandths,
  latestFinishes,
  recoveryMinutes,
  Window,
  windowDeployments,
} from './dora';
import { lowerMedian } from './median';

const dayMs = 24 * 60 * 60 * 1000;

/** At most this many buckets per request (3 years of weeks, 13 of months). */
export const MAX_SERIES_BUCKETS = 156;

/** The bucket (`YYYY-MM-DD` of its first day) an instant falls in. */
export function bucketOf(ms: number, interval: DoraSeriesInterval): string {
  const day = utcDay(ms);
  return interval === 'week' ? weekOf(day) : monthOf(day);
}

/**
 * The buckets of a window, oldest first: the calendar months from the month of `from` to the
 * month of `to` (the charts' `month_timestamp between DATE_FORMAT($__timeFrom(), '%Y-%m-01')
 * and DATE_FORMAT($__timeTo(), '%Y-%m-01')`), or the Monday-based UTC weeks likewise.
 */
export function seriesBuckets(w: Window, interval: DoraSeriesInterval): Array<{ start: string; end: string }> {
  const last = bucketOf(w.toMs, interval);
  const buckets: Array<{ start: string; end: string }> = [];
  let start = bucketOf(w.fromMs, interval);
  while (start <= last && buckets.length <= MAX_SERIES_BUCKETS) {
    const end = interval === 'week' ? weekEnd(start) : monthEnd(start);
    buckets.push({ start, end });
    start = utcDay(Date.parse(`${end}T00:00:00Z`) + dayMs);
  }
  return buckets;
}

const hours = (minutes: number | null) => (minutes === null ? null : Math.round((minutes / 60) * 10) / 10);

function group<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * The four metrics per bucket, as the monthly charts of DevLake's DORA dashboard compute them
 * (and, for `week`, the same per Monday-based week):
 * - deployments: `_deployments` of the window (any row in range) by the bucket of their latest row;
 * - deployment days: distinct UTC days of deployments' latest rows, over the window's calendar;
 * - lead time: lower median of the distinct (PR, bucket, cycle time) by the bucket of the
 *   deployment-commit that shipped the PR, in the window;
 * - change failure rate: failed / deployments by the bucket of the deployment (DECIMAL, 4 places);
 * - recovery (2023): lower median per bucket of the failed deployment, incidents resolved in
 *   the window; time to restore (2021): lower median of the incidents' lead time per bucket of
 *   their resolution, over the buckets' whole months or weeks (that chart has no time filter).
 * Where a bucket has no value the charts draw 0; this answers null (and 0 deployments).
 */
export function seriesFigures(
  rows: DoraRows,
  w: Window,
  interval: DoraSeriesInterval,
  benchmark: DoraBenchmark,
): DoraSeriesBucket[] {
  const buckets = seriesBuckets(w, interval);
  const of = (ms: number) => bucketOf(ms, interval);
  const deployments = windowDeployments(rows.deploymentRows, w);
  const deploymentsByBucket = group(deployments, d => of(d.finishedMs));
  const failed = new Set(rows.linkedIncidents.map(l => l.deploymentId));

  const calendar = new Set(calendarDays(w.fromMs, w.toMs));
  const deploymentDays = new Set(latestFinishes(rows.deploymentRows).map(utcDay).filter(day => calendar.has(day)));
  const daysByBucket = group([...deploymentDays], day => of(Date.parse(`${day}T00:00:00Z`)));

  const cycles = new Map<string, { bucket: string; minutes: number }>();
  for (const pr of rows.pullRequests) {
    if (deployedCycleTimes([pr], w).length === 0) continue;
    const bucket = of(pr.deploymentFinishedMs);
    cycles.set(`${pr.id}\u0000${bucket}\u0000${pr.cycleMinutes}`, { bucket, minutes: pr.cycleMinutes });
  }
  const cyclesByBucket = group([...cycles.values()], c => c.bucket);

  const recoveryByBucket = new Map<string, number[]>();
  if (benchmark === '2021') {
    const seen = new Map<string, { bucket: string; minutes: number }>();
    for (const i of rows.restoredIncidents) {
      if (i.leadTimeMinutes === null) continue;
      const bucket = of(i.resolvedMs);
      seen.set(`${i.id}\u0000${bucket}\u0000${i.leadTimeMinutes}`, { bucket, minutes: i.leadTimeMinutes });
    }
    for (const [bucket, list] of group([...seen.values()], v => v.bucket)) {
      recoveryByBucket.set(bucket, list.map(v => v.minutes));
    }
  } else {
    for (const [bucket, list] of group(recoveryMinutes(rows.linkedIncidents, deployments, w), r => of(r.deploymentFinishedMs))) {
      recoveryByBucket.set(bucket, list.map(r => r.minutes));
    }
  }

  return buckets.map(({ start, end }) => {
    const inBucket = deploymentsByBucket.get(start) ?? [];
    const failedCount = inBucket.filter(d => failed.has(d.id)).length;
    return {
      start,
      end,
      deployments: inBucket.length,
      deploymentDays: daysByBucket.get(start)?.length ?? 0,
      leadTimeForChanges: hours(lowerMedian((cyclesByBucket.get(start) ?? []).map(c => c.minutes))),
      changeFailureRate: inBucket.length === 0 ? null : failureRatioTenThousandths(failedCount, inBucket.length) / 100,
      timeToRestoreService: hours(lowerMedian(recoveryByBucket.get(start) ?? [])),
    };
  });
}
