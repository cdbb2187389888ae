/**
 * A DORA performance class from the selected DORA report's thresholds.
 *
 * @public
 */
export type DoraPerformance = 'elite' | 'high' | 'medium' | 'low';

/**
 * Direction of the value against the previous period of equal length: `increasing` when it
 * rose by more than 10 %, `decreasing` when it fell by more than 10 %, else `stable`. It names
 * the direction of the value, not whether that is good (a decreasing lead time is good).
 * `null` when either period has no value.
 *
 * @public
 */
export type DoraTrend = 'increasing' | 'stable' | 'decreasing';

/**
 * Which DORA report's definitions and thresholds apply.
 *
 * @public
 */
export type DoraBenchmark = '2021' | '2023';

/**
 * Why a metric has no value where DevLake's dashboard shows "N/A":
 * - `no-deployments`: no successful production deployment in the period (or none collected);
 * - `no-pull-requests`: no merged PR with a cycle time deployed in the period;
 * - `no-incidents-collected`: DevLake's incidents table is empty, so failures cannot be told;
 * - `no-incidents`: no incident (of a period's deployment, 2023; of the scope, 2021) resolved in the period;
 * - `insufficient-data`: rows exist, but the dashboard's median has no value (too few
 *   six-month samples for the lowest frequency level; only NULL lead times ranked low enough).
 *
 * @public
 */
export type DoraNoValueReason =
  | 'no-deployments'
  | 'no-pull-requests'
  | 'no-incidents-collected'
  | 'no-incidents'
  | 'insufficient-data';

/** @public */
export interface DoraMetric<Unit extends string> {
  /** `null` where the dashboard shows N/A (see `reason`). */
  value: number | null;
  unit: Unit;
  trend: DoraTrend | null;
  /** `null` whenever `value` is `null`. */
  performance: DoraPerformance | null;
  /** Why `value` is `null`; `null` when there is a value. */
  reason?: DoraNoValueReason | null;
}

/**
 * The median number of deployment days per week, month or six months that decided the level.
 *
 * @public
 */
export interface DoraDeploymentDays {
  /** `null` when the frequency has no value. */
  value: number | null;
  per: 'week' | 'month' | 'sixMonths';
}

/**
 * Body of `GET /api/devlake/dora-metrics`.
 *
 * @public
 */
export interface DoraMetricsResponse {
  /** The requested project (catalog entity or DevLake project name), or null for all projects. */
  project: string | null;
  team: string | null;
  period: { startDate: string; endDate: string };
  metrics: {
    deploymentFrequency: DoraMetric<'deploys/week'> & {
      /** DevLake's own figure behind the level, beside the deploys/week value. */
      deploymentDays?: DoraDeploymentDays;
    };
    leadTimeForChanges: DoraMetric<'hours'>;
    changeFailureRate: DoraMetric<'percent'>;
    timeToRestoreService: DoraMetric<'hours'>;
  };
  /**
   * Present only when the answer was served from the backend's cache (`devlake.cache.ttl`):
   * when the cached figures were computed (ISO 8601). Absent on an answer computed for this
   * request, whose figures are as of now.
   */
  cachedAt?: string;
}

/** @public */
export interface DoraMetricsRequest {
  project?: string;
  team?: string;
  /** ISO 8601 date or date-time. Default: 30 days before `endDate`. */
  startDate?: string;
  /** ISO 8601 date or date-time. Default: today (UTC). */
  endDate?: string;
  benchmark?: DoraBenchmark;
}

/**
 * Bucket size of `GET /dora-metrics/series`.
 *
 * @public
 */
export type DoraSeriesInterval = 'week' | 'month';

/**
 * One week (Monday–Sunday, UTC) or calendar month of `GET /dora-metrics/series`.
 *
 * @public
 */
export interface DoraSeriesBucket {
  /** First day, `YYYY-MM-DD`. */
  start: string;
  /** Last day (inclusive), `YYYY-MM-DD`. */
  end: string;
  /** Successful production deployments whose latest row finished in the bucket. */
  deployments: number;
  /** Distinct UTC days with a deployment, within the period. */
  deploymentDays: number;
  /** Median lead time in hours; `null` when nothing was deployed with a PR. */
  leadTimeForChanges: number | null;
  /** Percent (two decimals); `null` without deployments. */
  changeFailureRate: number | null;
  /** Median failed deployment recovery time (2023) or time to restore (2021) in hours; `null` without incidents. */
  timeToRestoreService: number | null;
}

/**
 * Body of `GET /api/devlake/dora-metrics/series`.
 *
 * @public
 */
export interface DoraSeriesResponse {
  project: string | null;
  team: string | null;
  period: { startDate: string; endDate: string };
  interval: DoraSeriesInterval;
  benchmark: DoraBenchmark;
  buckets: DoraSeriesBucket[];
  /**
   * Present only when the answer was served from the backend's cache (`devlake.cache.ttl`):
   * when the cached figures were computed (ISO 8601). Absent on an answer computed for this
   * request, whose figures are as of now.
   */
  cachedAt?: string;
}

/** @public */
export interface DoraSeriesRequest {
  project?: string;
  team?: string;
  /** ISO 8601 date or date-time. Default: 182 days before `endDate`. */
  startDate?: string;
  /** ISO 8601 date or date-time. Default: today (UTC). */
  endDate?: string;
  /** Default `month`. */
  interval?: DoraSeriesInterval;
  benchmark?: DoraBenchmark;
}

/**
 * The API's environment names; DevLake's are PRODUCTION, STAGING, TESTING and DEVELOPMENT.
 *
 * @public
 */
export type DeploymentEnvironment = 'dev' | 'staging' | 'prod';

/**
 * DevLake's deployment results (cicd_deployment_commits.result).
 *
 * @public
 */
export type DeploymentStatus = 'SUCCESS' | 'FAILURE';

/** @public */
export interface Deployment {
  /** DevLake's cicd_deployment_id. */
  id: string;
  /** DevLake's title: cicd_deployments.display_title or name, else the row's; null when DevLake has none. */
  title?: string | null;
  /** Link to the run in the CI/CD tool: cicd_deployments.url, else the row's url; null when DevLake has none. */
  url?: string | null;
  /** The tag of a published release of the deployed commit (cicd_releases), else the row's ref_name (branch or tag), or null. */
  version: string | null;
  /** prod, staging or dev; another DevLake environment is returned lower-cased; null when empty. */
  environment: string | null;
  /** DevLake's result: SUCCESS or FAILURE (null when DevLake has none). */
  status: string | null;
  /** Earliest start of the deployment's rows. */
  startTime: string | null;
  /** Latest finish of the deployment's rows. */
  endTime: string | null;
  /** Seconds from `startTime` to `endTime` (the row's duration_sec when DevLake has no start). */
  duration: number | null;
  /**
   * DevLake's domain layer records no trigger or creator of a deployment (cicd_deployments,
   * cicd_pipelines and cicd_deployment_commits have no such column): always null.
   */
  triggeredBy: string | null;
  commit: {
    sha: string;
    message: string | null;
    /** The commit author's email. */
    author: string | null;
  };
}

/**
 * Body of `GET /api/devlake/deployment-history`.
 *
 * @public
 */
export interface DeploymentHistoryResponse {
  service: string;
  deployments: Deployment[];
  /** Every matching deployment, not just this page. */
  total: number;
  /** The matching deployments skipped before this page (the request's `offset`, default 0). */
  offset?: number;
  /** The page size asked for (the request's `limit`, default 20). */
  limit?: number;
}

/** @public */
export interface DeploymentHistoryRequest {
  service: string;
  environment?: DeploymentEnvironment;
  /** Only deployments whose (latest) rows have this result. */
  status?: DeploymentStatus;
  /** 1–100, default 20. */
  limit?: number;
  /** Matching deployments to skip, newest first: 0–10000, default 0. */
  offset?: number;
}

/**
 * Body of `POST /api/devlake/dora-metrics/batch`: one period and report for many projects.
 *
 * @public
 */
export interface DoraMetricsBatchRequest {
  /** 1–100 distinct catalog entity names or refs, or DevLake project names. */
  projects: string[];
  /** ISO 8601 date or date-time. Default: 30 days before `endDate`. */
  startDate?: string;
  /** ISO 8601 date or date-time. Default: today (UTC). */
  endDate?: string;
  benchmark?: DoraBenchmark;
}

/**
 * One project of a batch: its `GET /dora-metrics` answer, or why there is none.
 *
 * @public
 */
export interface DoraMetricsBatchItem {
  project: string;
  /** The project's metrics, as `GET /dora-metrics?project=` answers them; absent with `error`. */
  response?: DoraMetricsResponse;
  /** Only a project DevLake does not know (404) fails alone; other failures fail the batch. */
  error?: { status: number; message: string };
}

/**
 * Body of the answer of `POST /api/devlake/dora-metrics/batch`, in the request's order.
 *
 * @public
 */
export interface DoraMetricsBatchResponse {
  period: { startDate: string; endDate: string };
  items: DoraMetricsBatchItem[];
}
