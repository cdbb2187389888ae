import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ApiGuard,
  createGuardedApiRouter,
  getCaller,
  getRequestId,
  InProgressLimiter,
} from '@fawkes/plugin-api-guard-node';
import { DoraBenchmark } from '@fawkes/plugin-devlake-common';
import { ServiceUnavailableError } from '@backstage/errors';
import express, { ErrorRequestHandler, RequestHandler } from 'express';
import { OpenApiDocument } from '../schema/openapi';
import { DeploymentHistoryService } from '../services/DeploymentHistoryService';
import { DoraMetricsService } from '../services/DoraMetricsService';
import { causeOf } from '../services/failureCauses';
import {
  DeploymentHistoryQuery,
  ParsedDoraMetricsQuery,
  ParsedDoraMetricsBatch,
  parseDeploymentHistoryQuery,
  parseDoraMetricsBatch,
  parseDoraMetricsQuery,
  parseDoraSeriesQuery,
} from './queryValidation';

/** The services behind the routes; absent while `devlake.database` is not configured. */
export interface DevLakeServices {
  doraMetrics: DoraMetricsService;
  deploymentHistory: DeploymentHistoryService;
}

export interface RouterOptions {
  /** The plugin's guard; the router is mounted through it. */
  guard: ApiGuard;
  /** Where the cause of each upstream failure is logged, with the request's id. */
  logger: LoggerService;
  /** Undefined while no database is configured: valid requests then answer 503. */
  services?: DevLakeServices;
  defaultBenchmark: DoraBenchmark;
  /** Caps the batch requests in progress, per caller (429) and in total (503). */
  batchLimiter: InProgressLimiter;
  /** The plugin's OpenAPI document; requests are validated against it before the handlers. */
  openApi: OpenApiDocument;
  /** The clock, for the default period. */
  now?: () => number;
}

/** Logs the cause of a database or catalog failure once; the caller's body stays the safe message. */
function logFailureCauses(logger: LoggerService): ErrorRequestHandler {
  return (error, req, _res, next) => {
    const cause = causeOf(error);
    if (cause) {
      logger.warn(
        `${req.method} ${req.baseUrl}${req.path} (request ${getRequestId(req)}) answered '${(error as Error).message}': ${cause}`,
      );
    }
    next(error);
  };
}

/**
 * The plugin's routes on the shared request path (`createGuardedApiRouter`): the guard, then
 * validation against the OpenAPI document, then the handler, which only translates HTTP to a
 * service call. Mounted when this returns.
 *
 * The plugin's own query checks run before the document's validator (which rewrites
 * `req.query`), and their answer wins: a query both reject gets the plugin's specific
 * messages with every problem in `details` (`limit must be an integer between 1 and 100`),
 * not the validator's generic ones; a query only the document rejects (an unknown parameter)
 * gets the validator's `{"error", "details"}`.
 */
export function createRouter(options: RouterOptions): express.Router {
  const { defaultBenchmark } = options;
  const now = options.now ?? Date.now;
  const services = (): DevLakeServices => {
    if (!options.services) {
      throw new ServiceUnavailableError('DevLake database is not configured: set devlake.database');
    }
    return options.services;
  };

  const parsers: Record<string, (query: unknown, nowMs: number) => unknown> = {
    'GET /dora-metrics': parseDoraMetricsQuery,
    'GET /dora-metrics/series': parseDoraSeriesQuery,
    'GET /deployment-history': parseDeploymentHistoryQuery,
  };
  // Each request's parsed query (or body). A query the plugin rejects is answered with its own
  // 400 (thrown before the document's validator, which would rewrite `req.query`).
  const parsedQueries = new WeakMap<express.Request, unknown>();
  const parseQuery: RequestHandler = (req, _res, next) => {
    const parse = parsers[`${req.method} ${req.path}`];
    if (parse) parsedQueries.set(req, parse(req.query, now()));
    if (req.method === 'POST' && req.path === '/dora-metrics/batch') {
      parsedQueries.set(req, parseDoraMetricsBatch(req.body, now()));
    }
    next();
  };
  const queryOf = <T>(req: express.Request): T => parsedQueries.get(req) as T;

  const router = createGuardedApiRouter({
    guard: options.guard,
    spec: options.openApi,
    middleware: [parseQuery],
  });

  router.get('/dora-metrics', async (req, res) => {
    const query = queryOf<ParsedDoraMetricsQuery>(req);
    res.json(
      await services().doraMetrics.getMetrics(
        { project: query.project, team: query.team, period: query.period, benchmark: query.benchmark ?? defaultBenchmark },
        getCaller(req).credentials,
      ),
    );
  });

  router.post('/dora-metrics/batch', async (req, res) => {
    const batch = queryOf<ParsedDoraMetricsBatch>(req);
    const { doraMetrics } = services();
    const caller = getCaller(req);
    res.json(
      await options.batchLimiter.run(caller, () =>
        doraMetrics.getMetricsBatch({ ...batch, benchmark: batch.benchmark ?? defaultBenchmark }, caller.credentials),
      ),
    );
  });

  router.get('/dora-metrics/series', async (req, res) => {
    const query = queryOf<ReturnType<typeof parseDoraSeriesQuery>>(req);
    res.json(
      await services().doraMetrics.getSeries(
        { ...query, benchmark: query.benchmark ?? defaultBenchmark },
        getCaller(req).credentials,
      ),
    );
  });

  router.get('/deployment-history', async (req, res) => {
    const query = queryOf<DeploymentHistoryQuery>(req);
    res.json(
      await services().deploymentHistory.getHistory(
        {
          service: query.service,
          environment: query.environment,
          status: query.status,
          limit: query.limit ?? 20,
          offset: query.offset ?? 0,
        },
        getCaller(req).credentials,
      ),
    );
  });

  router.use(logFailureCauses(options.logger));
  return router;
}
