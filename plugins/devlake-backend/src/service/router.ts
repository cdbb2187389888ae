import { LoggerService } from '@backstage/backend-plugin-api';
import { getCaller, ValidationError } from '@fawkes/plugin-api-guard-node';
import express from 'express';
import Router from 'express-promise-router';
import { DoraBenchmark } from '@fawkes/plugin-devlake-common';
import { resolvePeriod } from '../metrics/period';
import { DeploymentHistoryService } from '../services/DeploymentHistoryService';
import { DoraMetricsService } from '../services/DoraMetricsService';
import { deploymentHistoryQuerySchema, doraMetricsQuerySchema, parseQuery } from './validation';

export interface RouterOptions {
  logger: LoggerService;
  doraMetrics: DoraMetricsService;
  deploymentHistory: DeploymentHistoryService;
  defaultBenchmark: DoraBenchmark;
  /** The clock, for the default period. */
  now?: () => number;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { doraMetrics, deploymentHistory, defaultBenchmark } = options;
  const now = options.now ?? Date.now;
  const router = Router();

  router.get('/dora-metrics', async (req, res) => {
    const caller = getCaller(req);
    const query = parseQuery(doraMetricsQuerySchema, req.query);
    const { period, error } = resolvePeriod(query.startDate, query.endDate, now());
    if (!period) throw new ValidationError(error!.message, [error!]);
    const body = await doraMetrics.getMetrics(
      { project: query.project, team: query.team, period, benchmark: query.benchmark ?? defaultBenchmark },
      caller.credentials,
    );
    res.json(body);
  });

  router.get('/deployment-history', async (req, res) => {
    const caller = getCaller(req);
    const query = parseQuery(deploymentHistoryQuerySchema, req.query);
    const body = await deploymentHistory.getHistory(
      { service: query.service!, environment: query.environment, limit: query.limit ?? 20 },
      caller.credentials,
    );
    res.json(body);
  });

  return router;
}
