import { DoraBenchmark, DoraMetricsResponse, DoraSeriesBucket, DoraSeriesInterval } from '@fawkes/plugin-devlake-common';
import { DoraRows, Figure, Window, windowDeployments, windowFigures } from '../metrics/dora';
import { previousPeriod } from '../metrics/period';
import { seriesBuckets, seriesFigures } from '../metrics/series';
import { trendOf } from '../metrics/trend';
import { DoraRepository, DoraScope } from './DoraRepository';

const dayMs = 24 * 60 * 60 * 1000;
const startOfUtcDay = (ms: number) => Math.floor(ms / dayMs) * dayMs;

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/**
 * Reads the rows behind DevLake's DORA dashboard for a scope and computes the dashboard's
 * figures from them (the rules are in `metrics/dora.ts` and `metrics/series.ts`). Independent
 * queries run side by side (on MySQL each on its own pooled connection).
 */
export class DoraMetricsCalculator {
  constructor(private readonly repository: DoraRepository) {}

  /**
   * The rows for windows covering [fromMs, toMs]: deployment rows from the UTC day of
   * `fromMs` (the deployment-frequency calendar starts there), PRs and incidents in range
   * (`restoredFromMs`/`restoredToMs` widen the 2021 incidents for the series' whole buckets).
   */
  private async rows(
    scope: DoraScope,
    range: Window,
    benchmark: DoraBenchmark,
    restored: Window = range,
  ): Promise<DoraRows> {
    const [deploymentRows, pullRequests, restoredIncidents, incidentsCollected, deploymentsCollected] = await Promise.all([
      this.repository.deploymentRows(scope, startOfUtcDay(range.fromMs)),
      this.repository.deployedPullRequests(scope, range.fromMs, range.toMs),
      benchmark === '2021'
        ? this.repository.restoredIncidents(scope, restored.fromMs, restored.toMs)
        : Promise.resolve([]),
      this.repository.hasAnyRow('incidents'),
      this.repository.hasAnyRow('cicd_deployment_commits'),
    ]);
    const ids = windowDeployments(deploymentRows, range).map(d => d.id);
    const linkedIncidents = await this.repository.incidentsOfDeployments(ids);
    return { deploymentRows, pullRequests, linkedIncidents, restoredIncidents, incidentsCollected, deploymentsCollected };
  }

  /** The four metrics of a period, with the trend against the previous period of equal length. */
  async calculate(
    scope: DoraScope,
    period: Window,
    benchmark: DoraBenchmark,
  ): Promise<{ metrics: DoraMetricsResponse['metrics'] }> {
    const previous = previousPeriod(period);
    const rows = await this.rows(scope, { fromMs: previous.fromMs, toMs: period.toMs }, benchmark);
    const now = windowFigures(rows, period, benchmark);
    const before = windowFigures(rows, previous, benchmark);
    const metric = <U extends string>(
      figure: Figure,
      previousFigure: Figure,
      unit: U,
      display: (value: number) => number,
    ) => ({
      value: figure.value === null ? null : display(figure.value),
      unit,
      trend: trendOf(figure.value, previousFigure.value),
      performance: figure.performance,
      reason: figure.reason,
    });
    return {
      metrics: {
        deploymentFrequency: {
          ...metric(now.deploymentFrequency, before.deploymentFrequency, 'deploys/week', v => round(v, 2)),
          deploymentDays: now.deploymentFrequency.deploymentDays,
        },
        leadTimeForChanges: metric(now.leadTime, before.leadTime, 'hours', v => round(v / 60, 1)),
        changeFailureRate: {
          ...metric(now.changeFailureRate, before.changeFailureRate, 'percent', v => v),
          // The trend compares the ratios, not the rounded percentages.
          trend: trendOf(now.changeFailureRate.ratio, before.changeFailureRate.ratio),
        },
        timeToRestoreService: metric(now.recovery, before.recovery, 'hours', v => round(v / 60, 1)),
      },
    };
  }

  /** Per-bucket figures for charts. */
  async series(
    scope: DoraScope,
    period: Window,
    interval: DoraSeriesInterval,
    benchmark: DoraBenchmark,
  ): Promise<DoraSeriesBucket[]> {
    const buckets = seriesBuckets(period, interval);
    const restored = {
      fromMs: Date.parse(`${buckets[0].start}T00:00:00Z`),
      toMs: Date.parse(`${buckets[buckets.length - 1].end}T23:59:59Z`),
    };
    const rows = await this.rows(scope, period, benchmark, restored);
    return seriesFigures(rows, period, interval, benchmark);
  }
}
