import { DoraBenchmark, DoraNoValueReason, DoraPerformance } from '@fawkes/plugin-devlake-common';
import {
  changeFailureRatePerformance,
  deploymentFrequencyPerformance,
  leadTimePerformance,
  recoveryPerformance,
} from './benchmarks';
import { calendarDays, DeploymentDayMedians, deploymentDayMedians } from './calendar';
import { lowerMedian } from './median';
import { within } from './period';

/**
 * The rows behind DevLake's DORA dashboard for one scope, as the repository reads them; every
 * figure below is computed from these in TypeScript, the way the dashboard's SQL computes it
 * when Grafana runs it (see the README's semantics section for each rule and its source).
 */
export interface DoraRows {
  /** Rows of successful production deployments (one per deployment-commit). */
  deploymentRows: Array<{ deploymentId: string; finishedMs: number }>;
  /** Deployed PRs: id, cycle time and the finished_date of the deployment-commit that shipped it. */
  pullRequests: Array<{ id: string; cycleMinutes: number; deploymentFinishedMs: number }>;
  /** Relationship rows (with an existing incident) of the deployments above. */
  linkedIncidents: Array<{ incidentId: string; deploymentId: string; resolvedMs: number | null }>;
  /** 2021 report: incidents of the scope with their resolution and lead time. */
  restoredIncidents: Array<{ id: string; leadTimeMinutes: number | null; resolvedMs: number }>;
  /** Whether the incidents / cicd_deployment_commits tables hold any row at all. */
  incidentsCollected: boolean;
  deploymentsCollected: boolean;
}

export interface Window {
  fromMs: number;
  /** Inclusive, a whole second. */
  toMs: number;
}

/** One deployment as the dashboard's `_deployments` CTE sees it. */
export interface WindowDeployment {
  id: string;
  /** max(finished_date) of all its rows (not only of those in the window). */
  finishedMs: number;
}

/**
 * `_deployments`: grouped by cicd_deployment_id, `HAVING $__timeFilter(max(finished_date))`,
 * which Grafana's macro engine (its argument ends at the first `)`) expands to
 * `HAVING max(finished_date BETWEEN from AND to)`: a deployment counts when ANY of its rows is
 * in the window, and its finished date is the latest of all its rows.
 */
export function windowDeployments(rows: DoraRows['deploymentRows'], w: Window): WindowDeployment[] {
  const byId = new Map<string, { finishedMs: number; hit: boolean }>();
  for (const row of rows) {
    const entry = byId.get(row.deploymentId) ?? { finishedMs: -Infinity, hit: false };
    entry.finishedMs = Math.max(entry.finishedMs, row.finishedMs);
    entry.hit ||= within(row.finishedMs, w);
    byId.set(row.deploymentId, entry);
  }
  return [...byId.entries()].filter(([, e]) => e.hit).map(([id, e]) => ({ id, finishedMs: e.finishedMs }));
}

/** Latest finished_date per deployment over all rows (`_production_deployment_days`, no time filter). */
export function latestFinishes(rows: DoraRows['deploymentRows']): number[] {
  const byId = new Map<string, number>();
  for (const row of rows) byId.set(row.deploymentId, Math.max(byId.get(row.deploymentId) ?? -Infinity, row.finishedMs));
  return [...byId.values()];
}

/**
 * DevLake's change failure rate, exactly as MySQL evaluates `sum(has_incident) / count(id)`:
 * an integer division yields a DECIMAL rounded (half up) to `div_precision_increment` = 4
 * decimals. Returned in ten-thousandths (5 of 69 → 725, i.e. 0.0725).
 */
export function failureRatioTenThousandths(failed: number, total: number): number {
  return Math.floor((failed * 20000 + total) / (2 * total));
}

/** `ROUND(ratio * 100, 1)` on that DECIMAL (half away from zero): 725 → 7.3. */
export function failureRatePercent(tenThousandths: number): number {
  return Math.floor((tenThousandths + 5) / 10) / 10;
}

/** The ids of deployments with at least one linked incident (`has_incident`). */
function failedIds(linked: DoraRows['linkedIncidents']): Set<string> {
  return new Set(linked.map(l => l.deploymentId));
}

/**
 * 2023 failed deployment recovery time inputs: one value per relationship row of a window
 * deployment whose incident was resolved in the window, in whole minutes from the
 * deployment's finish (TIMESTAMPDIFF truncates). Rows are not de-duplicated: an incident
 * linked to two projects counts twice, as in the dashboard's join.
 */
export function recoveryMinutes(
  linked: DoraRows['linkedIncidents'],
  deployments: WindowDeployment[],
  w: Window,
): Array<{ minutes: number; deploymentFinishedMs: number }> {
  const finished = new Map(deployments.map(d => [d.id, d.finishedMs]));
  const result: Array<{ minutes: number; deploymentFinishedMs: number }> = [];
  for (const l of linked) {
    const deployedMs = finished.get(l.deploymentId);
    if (deployedMs === undefined || !within(l.resolvedMs, w)) continue;
    result.push({ minutes: Math.trunc((l.resolvedMs! - deployedMs) / 60_000), deploymentFinishedMs: deployedMs });
  }
  return result;
}

/** Distinct (PR id, cycle time) deployed in the window (`_pr_stats`). */
export function deployedCycleTimes(prs: DoraRows['pullRequests'], w: Window): Array<{ minutes: number; deployedMs: number }> {
  const seen = new Map<string, { minutes: number; deployedMs: number }>();
  for (const pr of prs) {
    if (!within(pr.deploymentFinishedMs, w)) continue;
    seen.set(`${pr.id}\u0000${pr.cycleMinutes}`, { minutes: pr.cycleMinutes, deployedMs: pr.deploymentFinishedMs });
  }
  return [...seen.values()];
}

/** One metric's raw figure and, where the dashboard shows N/A, why. */
export interface Figure {
  value: number | null;
  performance: DoraPerformance | null;
  reason: DoraNoValueReason | null;
}

export interface WindowFigures {
  deploymentCount: number;
  /** Deployments per week over the window. */
  deploymentFrequency: Figure & { deploymentDays: { value: number | null; per: 'week' | 'month' | 'sixMonths' } };
  /** Minutes. */
  leadTime: Figure;
  /** Percent, one decimal, as the dashboard shows it. */
  changeFailureRate: Figure & { ratio: number | null };
  /** Minutes. */
  recovery: Figure;
}

const weekMs = 7 * 24 * 60 * 60 * 1000;
const noValue = (reason: DoraNoValueReason): Figure => ({ value: null, performance: null, reason });

/** Which median decided the frequency level, per DevLake's CASE order. */
function decidingMedian(
  medians: DeploymentDayMedians,
  performance: DoraPerformance | null,
  benchmark: DoraBenchmark,
): { value: number | null; per: 'week' | 'month' | 'sixMonths' } {
  if (performance === 'elite' || (benchmark === '2023' && performance === 'high')) {
    return { value: medians.perWeek, per: 'week' };
  }
  if (benchmark === '2023' || performance === 'high') return { value: medians.perMonth, per: 'month' };
  return { value: medians.perSixMonths, per: 'sixMonths' };
}

/** The dashboard's four figures for one window. */
export function windowFigures(rows: DoraRows, w: Window, benchmark: DoraBenchmark): WindowFigures {
  const deployments = windowDeployments(rows.deploymentRows, w);
  const count = deployments.length;

  // Deployment frequency: deployment days by UTC calendar day of each deployment's latest
  // row, over the dashboard's calendar of the window (no time filter inside the day buckets).
  const medians = deploymentDayMedians(calendarDays(w.fromMs, w.toMs), latestFinishes(rows.deploymentRows));
  const level = deploymentFrequencyPerformance(medians, benchmark);
  const weeks = (w.toMs + 1000 - w.fromMs) / weekMs;
  const deploymentFrequency =
    level === null
      ? { ...noValue(count === 0 ? 'no-deployments' : 'insufficient-data'), deploymentDays: decidingMedian(medians, null, benchmark) }
      : {
          value: count / weeks,
          performance: level,
          reason: null,
          deploymentDays: decidingMedian(medians, level, benchmark),
        };
  if (level === null) deploymentFrequency.deploymentDays.value = null;

  const cycles = deployedCycleTimes(rows.pullRequests, w).map(c => c.minutes);
  const leadMinutes = lowerMedian(cycles);
  const leadTime: Figure =
    leadMinutes === null
      ? noValue('no-pull-requests')
      : { value: leadMinutes, performance: leadTimePerformance(leadMinutes, benchmark), reason: null };

  let changeFailureRate: WindowFigures['changeFailureRate'];
  if (!rows.deploymentsCollected || count === 0) {
    changeFailureRate = { ...noValue('no-deployments'), ratio: null };
  } else if (!rows.incidentsCollected) {
    changeFailureRate = { ...noValue('no-incidents-collected'), ratio: null };
  } else {
    const ids = new Set(deployments.map(d => d.id));
    const failed = [...failedIds(rows.linkedIncidents)].filter(id => ids.has(id)).length;
    const ratio = failureRatioTenThousandths(failed, count);
    changeFailureRate = {
      value: failureRatePercent(ratio),
      ratio: ratio / 10000,
      performance: changeFailureRatePerformance(ratio / 10000, benchmark),
      reason: null,
    };
  }

  let recovery: Figure;
  const recoveryValues =
    benchmark === '2021'
      ? distinctRestored(rows.restoredIncidents.filter(r => within(r.resolvedMs, w)))
      : recoveryMinutes(rows.linkedIncidents, deployments, w).map(r => r.minutes);
  const recoveryMedian = lowerMedian(recoveryValues);
  if (recoveryMedian !== null) {
    recovery = { value: recoveryMedian, performance: recoveryPerformance(recoveryMedian, benchmark), reason: null };
  } else if (!rows.incidentsCollected) {
    recovery = noValue('no-incidents-collected');
  } else {
    recovery = noValue(recoveryValues.length === 0 ? 'no-incidents' : 'insufficient-data');
  }

  return { deploymentCount: count, deploymentFrequency, leadTime, changeFailureRate, recovery };
}

/** `SELECT distinct i.id, cast(lead_time_minutes as signed)`: the lead times, NULLs kept. */
function distinctRestored(incidents: DoraRows['restoredIncidents']): Array<number | null> {
  const seen = new Map<string, number | null>();
  for (const i of incidents) seen.set(`${i.id}\u0000${i.leadTimeMinutes}`, i.leadTimeMinutes);
  return [...seen.values()];
}

