import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { LoggerService } from '@backstage/backend-plugin-api';
import { getCaller } from '@fawkes/plugin-api-guard-node';
import { DoraBenchmark } from '@fawkes/plugin-devlake-common';
import express, { RequestHandler } from 'express';
import Router from 'express-promise-router';
import { OpenApiDocument } from '../schema/openapi';
import { DeploymentHistoryService } from '../services/DeploymentHistoryService';
import { DoraMetricsService } from '../services/DoraMetricsService';
import {
  DeploymentHistoryQuery,
  DoraMetricsQuery,
  parseDeploymentHistoryQuery,
  parseDoraMetricsQuery,
} from './validation';

export interface RouterOptions {
  logger: LoggerService;
  doraMetrics: DoraMetricsService;
  deploymentHistory: DeploymentHistoryService;
  defaultBenchmark: DoraBenchmark;
  /** The plugin's OpenAPI document; requests are validated against it before the handlers. */
  openApi: OpenApiDocument;
  /** The clock, for the default period. */
  now?: () => number;
}

// These routes take no body, and the guard in front has parsed any body within its size cap;
// the validated router must not parse it again with its own default limit.
const bodyAlreadyParsed: RequestHandler = (_req, _res, next) => next();

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { doraMetrics, deploymentHistory, defaultBenchmark } = options;
  const now = options.now ?? Date.now;

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

  router.get(
    '/dora-metrics',
    (req, res, next) => {
      res.locals.query = parseDoraMetricsQuery(req.query, now());
      next();
    },
    validateAgainstDocument,
    async (req, res) => {
      const query: DoraMetricsQuery = res.locals.query;
      const body = await doraMetrics.getMetrics(
        { project: query.project, team: query.team, period: query.period, benchmark: query.benchmark ?? defaultBenchmark },
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
      const body = await deploymentHistory.getHistory(
        { service: query.service, environment: query.environment, limit: query.limit ?? 20 },
        getCaller(req).credentials,
      );
      res.json(body);
    },
  );

  return router;
}
