import { ValidationError } from '@fawkes/plugin-api-guard-node';
import { z } from 'zod';
import { DoraBenchmark, DoraSeriesInterval } from '@fawkes/plugin-devlake-common';
import { resolvePeriod } from '../metrics/period';
import { MAX_SERIES_BUCKETS, seriesBuckets } from '../metrics/series';
import { DoraMetricsQuery } from '../services/DoraMetricsService';

/** The deepest page of `GET /deployment-history`: deeper offsets cost the database more. */
export const MAX_HISTORY_OFFSET = 10000;

const name = (field: string) =>
  z
    .string({ error: issue => (issue.input === undefined ? `${field} is required` : `${field} must be a single string`) })
    .trim()
    .min(1, `${field} must not be empty`)
    .max(255, `${field} must be at most 255 characters`)
    // eslint-disable-next-line no-control-regex
    .refine(v => !/[\u0000-\u001f\u007f]/.test(v), `${field} must not contain control characters`);

export const doraMetricsQuerySchema = z.object({
  project: name('project').optional(),
  team: name('team').optional(),
  startDate: z.string({ error: 'startDate must be a single string' }).optional(),
  endDate: z.string({ error: 'endDate must be a single string' }).optional(),
  benchmark: z.enum(['2021', '2023'], { message: "benchmark must be '2021' or '2023'" }).optional(),
});

export const doraSeriesQuerySchema = doraMetricsQuerySchema.extend({
  interval: z.enum(['week', 'month'], { message: "interval must be 'week' or 'month'" }).optional(),
});

export const deploymentHistoryQuerySchema = z.object({
  service: name('service'),
  environment: z
    .enum(['dev', 'staging', 'prod'], { message: "environment must be one of 'dev', 'staging', 'prod'" })
    .optional(),
  status: z.enum(['SUCCESS', 'FAILURE'], { message: "status must be 'SUCCESS' or 'FAILURE'" }).optional(),
  limit: z
    .string({ error: 'limit must be a single integer' })
    .regex(/^\d+$/, 'limit must be an integer between 1 and 100')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, 'limit must be an integer between 1 and 100')
        .max(100, 'limit must be an integer between 1 and 100'),
    )
    .optional(),
  offset: z
    .string({ error: 'offset must be a single integer' })
    .regex(/^\d+$/, `offset must be an integer between 0 and ${MAX_HISTORY_OFFSET}`)
    .transform(Number)
    .pipe(z.number().int().max(MAX_HISTORY_OFFSET, `offset must be an integer between 0 and ${MAX_HISTORY_OFFSET}`))
    .optional(),
});

/** At most this many projects in one `POST /dora-metrics/batch`. */
export const MAX_BATCH_PROJECTS = 100;

export const doraMetricsBatchBodySchema = z.object(
  {
    projects: z
      .array(name('project'), { error: 'projects must be an array of project names' })
      .min(1, 'projects must name at least one project')
      .max(MAX_BATCH_PROJECTS, `projects must name at most ${MAX_BATCH_PROJECTS} projects`)
      .refine(list => new Set(list).size === list.length, 'projects must not name a project twice'),
    startDate: z.string({ error: 'startDate must be a string' }).optional(),
    endDate: z.string({ error: 'endDate must be a string' }).optional(),
    benchmark: z.enum(['2021', '2023'], { message: "benchmark must be '2021' or '2023'" }).optional(),
  },
  { error: 'the body must be a JSON object' },
);

/** Parses with zod; failures become a 400 listing every problem. */
export function parseQuery<S extends z.ZodTypeAny>(schema: S, query: unknown, root = '(query)'): z.output<S> {
  const result = schema.safeParse(query);
  if (!result.success) {
    const details = result.error.issues.map(issue => ({
      path: issue.path.join('.') || root,
      message: issue.message,
    }));
    throw new ValidationError(details.map(d => d.message).join('; '), details);
  }
  return result.data;
}

/** A parsed `GET /dora-metrics` query: the benchmark is absent when the caller gave none. */
export type ParsedDoraMetricsQuery = Omit<DoraMetricsQuery, 'benchmark'> & { benchmark?: DoraBenchmark };

/** The `GET /dora-metrics` query, with the period resolved; 400 with every problem otherwise. */
export function parseDoraMetricsQuery(query: unknown, nowMs: number): ParsedDoraMetricsQuery {
  const { startDate, endDate, ...rest } = parseQuery(doraMetricsQuerySchema, query);
  const { period, error } = resolvePeriod(startDate, endDate, nowMs);
  if (!period) throw new ValidationError(error!.message, [error!]);
  return { ...rest, period };
}

/** Default span of a series: about six months, like the dashboard's default range. */
const seriesDefaultDays = 182;

/** The `GET /dora-metrics/series` query; at most {@link MAX_SERIES_BUCKETS} buckets. */
export function parseDoraSeriesQuery(
  query: unknown,
  nowMs: number,
): ParsedDoraMetricsQuery & { interval: DoraSeriesInterval } {
  const { startDate, endDate, interval = 'month', ...rest } = parseQuery(doraSeriesQuerySchema, query);
  const { period, error } = resolvePeriod(startDate, endDate, nowMs, seriesDefaultDays);
  if (!period) throw new ValidationError(error!.message, [error!]);
  if (seriesBuckets(period, interval).length > MAX_SERIES_BUCKETS) {
    const message = `the period must span at most ${MAX_SERIES_BUCKETS} ${interval}s`;
    throw new ValidationError(message, [{ path: 'startDate', message }]);
  }
  return { ...rest, period, interval };
}

export type DeploymentHistoryQuery = Omit<z.output<typeof deploymentHistoryQuerySchema>, 'service'> & {
  service: string;
};

/** The `GET /deployment-history` query; 400 with every problem otherwise. */
export function parseDeploymentHistoryQuery(query: unknown): DeploymentHistoryQuery {
  const { service, ...rest } = parseQuery(deploymentHistoryQuerySchema, query);
  return { ...rest, service: service! };
}

/** A parsed `POST /dora-metrics/batch` body, with the period resolved. */
export type ParsedDoraMetricsBatch = Omit<ParsedDoraMetricsQuery, 'project' | 'team'> & { projects: string[] };

/** The `POST /dora-metrics/batch` body; 400 with every problem otherwise. */
export function parseDoraMetricsBatch(body: unknown, nowMs: number): ParsedDoraMetricsBatch {
  const { startDate, endDate, ...rest } = parseQuery(doraMetricsBatchBodySchema, body, '(body)');
  const { period, error } = resolvePeriod(startDate, endDate, nowMs);
  if (!period) throw new ValidationError(error!.message, [error!]);
  return { ...rest, period };
}
