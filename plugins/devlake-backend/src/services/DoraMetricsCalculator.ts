import { DoraBenchmark, DoraMetricsResponse } from '@fawkes/plugin-devlake-common';
import {
  changeFailureRatePerformance,
  deploymentFrequencyPerformance,
  leadTimePerformance,
  recoveryPerformance,
} from '../metrics/benchmarks';
import { calendarDays, deploymentDayMedians } from '../metrics/calendar';
import { lowerMedian } from '../metrics/median';
import { Period, previousPeriod } from '../metrics/period';
import { trendOf } from '../metrics/trend';
import { DoraRepository, DoraScope, Deployment, LinkedIncident } from './DoraRepository';

const weekMs = 7 * 24 * 60 * 60 * 1000;

interface Window {
  fromMs: number;
  toMs: number;
}

const within = (ms: number | null, w: Window) => ms !== null && ms >= w.fromMs && ms < w.toMs;
const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

interface RawValues {
  deploymentsPerWeek: number | null;
  leadTimeMinutes: number | null;
  failureRatio: number | null;
  recoveryMinutes: number | null;
}

/**
 * Computes the four DORA metrics of a scope for a period, and of the previous period of the
 * same length for the trend, from the repository's minimal rows (one query per table for
 * both periods).
 */
export class DoraMetricsCalculator {
  constructor(private readonly repository: DoraRepository) {}

  async calculate(
    scope: DoraScope,
    period: Period,
    benchmark: DoraBenchmark,
  ): Promise<{ metrics: DoraMetricsResponse['metrics'] }> {
    const current: Window = { fromMs: period.fromMs, toMs: period.toMs };
    const previous: Window = previousPeriod(period);
    const all: Window = { fromMs: previous.fromMs, toMs: current.toMs };

    // Independent queries run side by side (on MySQL each on its own pooled connection); each
    // walks the scope's history, since DevLake indexes no date column.
    const [deployments, pullRequests, restored] = await Promise.all([
      this.repository.deployments(scope, all.fromMs, all.toMs),
      this.repository.deployedPullRequests(scope, all.fromMs, all.toMs),
      benchmark === '2021' ? this.repository.restoredIncidents(scope, all.fromMs, all.toMs) : Promise.resolve([]),
    ]);
    const linked = await this.repository.incidentsOfDeployments(deployments.map(d => d.id));

    const values = (w: Window): RawValues => {
      const inWindow = deployments.filter(d => within(d.finishedMs, w));
      const finishedById = new Map(inWindow.map(d => [d.id, d.finishedMs]));
      const weeks = (w.toMs - w.fromMs) / weekMs;

      // Lead time: distinct (PR, cycle time) deployed in the window.
      const cycles = new Map<string, number>();
      for (const pr of pullRequests) {
        if (within(pr.deploymentFinishedMs, w)) cycles.set(`${pr.id}\u0000${pr.cycleMinutes}`, pr.cycleMinutes);
      }
      const leadTimeMinutes = lowerMedian([...cycles.values()]);

      const failed = new Set(linked.filter(l => finishedById.has(l.deploymentId)).map(l => l.deploymentId));

      return {
        deploymentsPerWeek: inWindow.length === 0 ? null : inWindow.length / weeks,
        leadTimeMinutes,
        failureRatio: inWindow.length === 0 ? null : failed.size / inWindow.length,
        recoveryMinutes:
          benchmark === '2021'
            ? lowerMedian(restored.filter(r => within(r.resolvedMs, w)).map(r => r.leadTimeMinutes))
            : lowerMedian(recoveryTimes(linked, finishedById, w)),
      };
    };

    const now = values(current);
    const before = values(previous);
    const currentDeployments = deployments.filter(d => within(d.finishedMs, current));

    return {
      metrics: {
        deploymentFrequency: {
          value: now.deploymentsPerWeek === null ? null : round(now.deploymentsPerWeek, 2),
          unit: 'deploys/week',
          trend: trendOf(now.deploymentsPerWeek, before.deploymentsPerWeek),
          performance:
            now.deploymentsPerWeek === null
              ? null
              : deploymentFrequencyPerformance(
                  deploymentDayMedians(calendarDays(period.fromMs, period.toMs - 1), times(currentDeployments)),
                  benchmark,
                ),
        },
        leadTimeForChanges: {
          value: now.leadTimeMinutes === null ? null : round(now.leadTimeMinutes / 60, 1),
          unit: 'hours',
          trend: trendOf(now.leadTimeMinutes, before.leadTimeMinutes),
          performance: now.leadTimeMinutes === null ? null : leadTimePerformance(now.leadTimeMinutes, benchmark),
        },
        changeFailureRate: {
          value: now.failureRatio === null ? null : round(now.failureRatio * 100, 1),
          unit: 'percent',
          trend: trendOf(now.failureRatio, before.failureRatio),
          performance: now.failureRatio === null ? null : changeFailureRatePerformance(now.failureRatio, benchmark),
        },
        timeToRestoreService: {
          value: now.recoveryMinutes === null ? null : round(now.recoveryMinutes / 60, 1),
          unit: 'hours',
          trend: trendOf(now.recoveryMinutes, before.recoveryMinutes),
          performance: now.recoveryMinutes === null ? null : recoveryPerformance(now.recoveryMinutes),
        },
      },
    };
  }
}

function times(deployments: Deployment[]): number[] {
  return deployments.map(d => d.finishedMs);
}

/**
 * The 2023 failed deployment recovery time: for each incident attributed to a deployment of
 * the window and resolved in the window, whole minutes (truncated, like TIMESTAMPDIFF) from
 * the deployment's finish to the resolution.
 */
function recoveryTimes(linked: LinkedIncident[], finishedById: Map<string, number>, w: Window): number[] {
  const seen = new Set<string>();
  const minutes: number[] = [];
  for (const l of linked) {
    const deployedMs = finishedById.get(l.deploymentId);
    if (deployedMs === undefined || !within(l.resolvedMs, w)) continue;
    const key = `${l.incidentId}\u0000${l.deploymentId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    minutes.push(Math.trunc((l.resolvedMs! - deployedMs) / 60_000));
  }
  return minutes;
}
