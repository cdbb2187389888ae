import { LoggerService } from '@backstage/backend-plugin-api';
import { ApiGuard, createGuardedApiRouter, getCaller } from '@fawkes/plugin-api-guard-node';
import { DoraBenchmark } from '@fawkes/plugin-devlake-common';
import { ServiceUnavailableError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import express, { ErrorRequestHandler, RequestHandler } from 'express';
import { OpenApiDocument } from '../schema/openapi';
import { DeploymentHistoryService } from '../services/DeploymentHistoryService';
import { DoraMetricsService } from '../services/DoraMetricsService';
import { causeOf } from '../services/failureCauses';
import {
  DeploymentHistoryQuery,
  ParsedDoraMetricsQuery,
  parseDeploymentHistoryQuery,
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
  /** The plugin's OpenAPI document; requests are validated against it before the handlers. */
  openApi: OpenApiDocument;
  /** The clock, for the default period. */
  now?: () => number;
}

const requestIdPattern = /^[\w.:-]{1,128}$/;

/**
 * Each request's id: the caller's (or a proxy's) `X-Request-Id` when it is a plain token,
 * else a new UUID; echoed in the response header, so a caller can quote it and an operator
 * finds the log line of the failure.
 */
const assignRequestId: RequestHandler = (req, res, next) => {
  const given = req.get('x-request-id');
  const id = given && requestIdPattern.test(given) ? given : randomUUID();
  res.locals.requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
};

/** Logs the cause of a database or catalog failure once; the caller's body stays the safe message. */
function logFailureCauses(logger: LoggerService): ErrorRequestHandler {
  return (error, req, res, next) => {
    const cause = causeOf(error);
    if (cause) {
      logger.warn(
        `${req.method} ${req.baseUrl}${req.path} (request ${res.locals.requestId}) answered '${(error as Error).message}': ${cause}`,
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
    '/dora-metrics': parseDoraMetricsQuery,
    '/dora-metrics/series': parseDoraSeriesQuery,
    '/deployment-history': parseDeploymentHistoryQuery,
  };
  // Each request's parsed query, or the plugin's 400 for it. Stored rather than thrown: an
  // error passed on before the validator would be re-wrapped by it without its details.
  const parsedQueries = new WeakMap<express.Request, { query?: unknown; error?: unknown }>();
  const parseQuery: RequestHandler = (req, _res, next) => {
    const parse = req.method === 'GET' ? parsers[req.path] : undefined;
    if (parse) {
      try {
        parsedQueries.set(req, { query: parse(req.query, now()) });
      } catch (error) {
        parsedQueries.set(req, { error });
      }
    }
    next();
  };
  const queryOf = <T>(req: express.Request): T => {
    const parsed = parsedQueries.get(req);
    if (parsed?.error) throw parsed.error;
    return parsed?.query as T;
  };
  const preferOwnValidation: ErrorRequestHandler = (error, req, _res, next) => {
    const own = parsedQueries.get(req)?.error as Error | undefined;
    // ValidationError inherits the name InputError, which the shared router takes for the
    // validator's own failure and re-parses into `(request)` details; its own name (a 400 to
    // the guard's renderer as well) keeps the plugin's details.
    if (own) own.name = 'ValidationError';
    next(own ?? error);
  };

  const router = createGuardedApiRouter({
    guard: options.guard,
    spec: options.openApi,
    middleware: [assignRequestId, parseQuery],
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
        { service: query.service, environment: query.environment, status: query.status, limit: query.limit ?? 20 },
        getCaller(req).credentials,
      ),
    );
  });

  router.use(preferOwnValidation);
  router.use(logFailureCauses(options.logger));
  return router;
}
