import type { DoraBenchmark, DoraMetricsRequest } from '@fawkes/plugin-devlake-common';

/** `week` or `month` buckets of `GET /dora-metrics/series`. */
export type DoraSeriesInterval = 'week' | 'month';

export interface DoraSeriesRequest extends Omit<DoraMetricsRequest, 'benchmark'> {
  interval: DoraSeriesInterval;
  benchmark?: DoraBenchmark;
}

/** One bucket of `GET /dora-metrics/series`, as DevLake's "DORA Details" charts compute it. */
export interface DoraSeriesBucket {
  /** First day of the bucket (ISO 8601 date). */
  start: string;
  /** Last day of the bucket (ISO 8601 date), inclusive. */
  end: string;
  /** Production deployments in the bucket. */
  deploymentCount: number;
  /** Median lead time for changes, hours; null without data. */
  leadTimeForChanges: number | null;
  /** Change failure rate, percent; null without deployments. */
  changeFailureRate: number | null;
  /** Median time to restore service / failed deployment recovery time, hours; null without data. */
  timeToRestoreService: number | null;
}

/** Body of `GET /dora-metrics/series`. */
export interface DoraSeriesResponse {
  project: string | null;
  team: string | null;
  interval: DoraSeriesInterval;
  period: { startDate: string; endDate: string };
  series: DoraSeriesBucket[];
}
