import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { LoggerService } from '@backstage/backend-plugin-api';
import { getCaller } from '@fawkes/plugin-api-guard-node';
import { DoraBenchmark } from '@fawkes/plugin-devlake-common';
import { ServiceUnavailableError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import express, { ErrorRequestHandler, RequestHandler } from 'express';
import Router from 'express-promise-router';
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

// These routes take no body, and the guard in front has parsed any body within its size cap;
// the validated router must not parse it again with its own default limit.
const bodyAlreadyParsed: RequestHandler = (_req, _res, next) => next();

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

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { defaultBenchmark } = options;
  const now = options.now ?? Date.now;
  const services = (): DevLakeServices => {
    if (!options.services) {
      throw new ServiceUnavailableError('DevLake database is not configured: set devlake.database');
    }
    return options.services;
  };

  // Used as a middleware in each route below: it checks the request against the document
  // (and rejects query parameters the document does not list), answering 400 `request/...`.
  const validateAgainstDocument: express.Router = createValidatedOpenApiRouter(options.openApi, {
    middleware: [bodyAlreadyParsed],
    // The guard has authenticated the caller already; `security` in the document describes
    // that for readers and clients.
    validatorOptions: { validateSecurity: false },
  });

  // Each route parses its query with the plugin's own checks first, so that bad input gets
  // their specific messages with every problem in `details` (`limit must be an integer between
  // 1 and 100`) rather than the validator's generic first one; then the validator checks the
  // same query against the document. The validator rewrites `req.query` (typed values,
  // defaults), so the handler uses the query parsed before it.
  const router = Router();
  router.use(assignRequestId);

  router.get(
    '/dora-metrics',
    (req, res, next) => {
      res.locals.query = parseDoraMetricsQuery(req.query, now());
      next();
    },
    validateAgainstDocument,
    async (req, res) => {
      const query: ParsedDoraMetricsQuery = res.locals.query;
      const body = await services().doraMetrics.getMetrics(
        { project: query.project, team: query.team, period: query.period, benchmark: query.benchmark ?? defaultBenchmark },
        getCaller(req).credentials,
      );
      res.json(body);
    },
  );

  router.get(
    '/dora-metrics/series',
    (req, res, next) => {
      res.locals.query = parseDoraSeriesQuery(req.query, now());
      next();
    },
    validateAgainstDocument,
    async (req, res) => {
      const query: ReturnType<typeof parseDoraSeriesQuery> = res.locals.query;
      const body = await services().doraMetrics.getSeries(
        {
          project: query.project,
          team: query.team,
          period: query.period,
          interval: query.interval,
          benchmark: query.benchmark ?? defaultBenchmark,
        },
        getCaller(req).credentials,
      );
      res.json(body);
    },
  );

  router.get(
    '/deployment-history',
    (req, res, next) => {
      res.locals.query = parseDeploymentHistoryQuery(req.query);
      next();
    },
    validateAgainstDocument,
    async (req, res) => {
      const query: DeploymentHistoryQuery = res.locals.query;
      const body = await services().deploymentHistory.getHistory(
        { service: query.service, environment: query.environment, status: query.status, limit: query.limit ?? 20 },
        getCaller(req).credentials,
      );
      res.json(body);
    },
  );

  router.use(logFailureCauses(options.logger));
  return router;
}
