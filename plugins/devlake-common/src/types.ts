/** A DORA performance class from the selected DORA report's thresholds. */
export type DoraPerformance = 'elite' | 'high' | 'medium' | 'low';

/**
 * Direction of the value against the previous period of equal length: `increasing` when it
 * rose by more than 10 %, `decreasing` when it fell by more than 10 %, else `stable`. It names
 * the direction of the value, not whether that is good (a decreasing lead time is good).
 * `null` when either period has no value.
 */
export type DoraTrend = 'increasing' | 'stable' | 'decreasing';

/** Which DORA report's definitions and thresholds apply. */
export type DoraBenchmark = '2021' | '2023';

export interface DoraMetric<Unit extends string> {
  /** `null` when there is no data for the period. */
  value: number | null;
  unit: Unit;
  trend: DoraTrend | null;
  /** `null` whenever `value` is `null`. */
  performance: DoraPerformance | null;
}

/** Body of `GET /api/devlake/dora-metrics`. */
export interface DoraMetricsResponse {
  /** The requested project (catalog entity or DevLake project name), or null for all projects. */
  project: string | null;
  team: string | null;
  period: { startDate: string; endDate: string };
  metrics: {
    deploymentFrequency: DoraMetric<'deploys/week'>;
    leadTimeForChanges: DoraMetric<'hours'>;
    changeFailureRate: DoraMetric<'percent'>;
    timeToRestoreService: DoraMetric<'hours'>;
  };
}

export interface DoraMetricsRequest {
  project?: string;
  team?: string;
  /** ISO 8601 date or date-time. Default: 30 days before `endDate`. */
  startDate?: string;
  /** ISO 8601 date or date-time. Default: today (UTC). */
  endDate?: string;
  benchmark?: DoraBenchmark;
}

/** The API's environment names; DevLake's are PRODUCTION, STAGING, TESTING and DEVELOPMENT. */
export type DeploymentEnvironment = 'dev' | 'staging' | 'prod';

export interface Deployment {
  /** DevLake's cicd_deployment_id. */
  id: string;
  /** The deployment's ref_name (branch or tag), or null. */
  version: string | null;
  /** prod, staging or dev; another DevLake environment is returned lower-cased; null when empty. */
  environment: string | null;
  /** DevLake's result: SUCCESS or FAILURE (null when DevLake has none). */
  status: string | null;
  startTime: string | null;
  endTime: string | null;
  /** Seconds. */
  duration: number | null;
  /** DevLake records no trigger; always null. */
  triggeredBy: string | null;
  commit: {
    sha: string;
    message: string | null;
    /** The commit author's email. */
    author: string | null;
  };
}

/** Body of `GET /api/devlake/deployment-history`. */
export interface DeploymentHistoryResponse {
  service: string;
  deployments: Deployment[];
  /** Every matching deployment, not just this page. */
  total: number;
}

export interface DeploymentHistoryRequest {
  service: string;
  environment?: DeploymentEnvironment;
  /** 1–100, default 20. */
  limit?: number;
}
