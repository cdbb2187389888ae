import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { isError, NotFoundError } from '@backstage/errors';
import {
  DoraBenchmark,
  DoraMetricsBatchItem,
  DoraMetricsBatchResponse,
  DoraMetricsResponse,
  DoraSeriesInterval,
  DoraSeriesResponse,
} from '@fawkes/plugin-devlake-common';
import { Period } from '../metrics/period';
import { DoraMetricsCalculator } from './DoraMetricsCalculator';
import { DoraRepository, DoraScope } from './DoraRepository';
import { ProjectResolver } from './ProjectResolver';
import { ResultCache } from './ResultCache';

/** A validated `GET /dora-metrics` (or `/series`) request. */
export interface DoraMetricsQuery {
  project?: string;
  team?: string;
  period: Period;
  benchmark: DoraBenchmark;
}

/** Projects of a batch computed at once: the database pool serves other requests too. */
const BATCH_CONCURRENCY = 4;

/**
 * `GET /dora-metrics`, `POST /dora-metrics/batch` and `GET /dora-metrics/series`: scope
 * resolution, existence checks, caching and the response bodies.
 */
export class DoraMetricsService {
  private readonly calculator: DoraMetricsCalculator;

  constructor(
    private readonly repository: DoraRepository,
    private readonly resolver: ProjectResolver,
    private readonly cache: ResultCache,
  ) {
    this.calculator = new DoraMetricsCalculator(repository);
  }

  async getMetrics(query: DoraMetricsQuery, credentials: BackstageCredentials): Promise<DoraMetricsResponse> {
    const devlakeProject = query.project ? await this.resolver.resolve(query.project, credentials) : null;
    return this.metricsOf(query, devlakeProject);
  }

  private async metricsOf(query: DoraMetricsQuery, devlakeProject: string | null): Promise<DoraMetricsResponse> {
    const { scope, key } = this.scopeOf(query, devlakeProject);
    const { value, cachedAt } = await this.cache.getOrComputeWithAge(ResultCache.key('dora-metrics', key), async () => {
      await this.checkExists(query, scope);
      return this.calculator.calculate(scope, query.period, query.benchmark);
    });
    return {
      project: query.project ?? null,
      team: scope.team,
      period: { startDate: query.period.startDate, endDate: query.period.endDate },
      metrics: value.metrics,
      ...(cachedAt ? { cachedAt } : {}),
    };
  }

  /**
   * Each project's `getMetrics` answer, in the request's order, a few at a time. A project
   * DevLake does not know is an item with its 404; any other failure fails the whole batch.
   */
  async getMetricsBatch(
    query: Omit<DoraMetricsQuery, 'project' | 'team'> & { projects: string[] },
    credentials: BackstageCredentials,
  ): Promise<DoraMetricsBatchResponse> {
    const devlakeProjects = await this.resolver.resolveAll(query.projects, credentials);
    const items: DoraMetricsBatchItem[] = new Array(query.projects.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < query.projects.length; i = next++) {
        const project = query.projects[i];
        try {
          items[i] = { project, response: await this.metricsOf({ ...query, project }, devlakeProjects[i]) };
        } catch (error) {
          if (!isError(error) || error.name !== 'NotFoundError') throw error;
          items[i] = { project, error: { status: 404, message: error.message } };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, query.projects.length) }, worker));
    return { period: { startDate: query.period.startDate, endDate: query.period.endDate }, items };
  }

  async getSeries(
    query: DoraMetricsQuery & { interval: DoraSeriesInterval },
    credentials: BackstageCredentials,
  ): Promise<DoraSeriesResponse> {
    const { scope, key } = await this.scope(query, credentials);
    const { value: buckets, cachedAt } = await this.cache.getOrComputeWithAge(
      ResultCache.key('dora-series', { ...key, interval: query.interval }),
      async () => {
        await this.checkExists(query, scope);
        return this.calculator.series(scope, query.period, query.interval, query.benchmark);
      },
    );
    return {
      project: query.project ?? null,
      team: scope.team,
      period: { startDate: query.period.startDate, endDate: query.period.endDate },
      interval: query.interval,
      benchmark: query.benchmark,
      buckets,
      ...(cachedAt ? { cachedAt } : {}),
    };
  }

  private async scope(query: DoraMetricsQuery, credentials: BackstageCredentials) {
    const devlakeProject = query.project ? await this.resolver.resolve(query.project, credentials) : null;
    return this.scopeOf(query, devlakeProject);
  }

  private scopeOf(query: DoraMetricsQuery, devlakeProject: string | null) {
    const scope: DoraScope = { projects: devlakeProject === null ? null : [devlakeProject], team: query.team ?? null };
    const key = {
      project: devlakeProject,
      team: scope.team,
      from: query.period.fromMs,
      to: query.period.toMs,
      benchmark: query.benchmark,
    };
    return { scope, key };
  }

  private async checkExists(query: DoraMetricsQuery, scope: DoraScope): Promise<void> {
    const project = scope.projects?.[0];
    if (project !== undefined && !(await this.repository.projectExists(project))) {
      throw new NotFoundError(`Project '${query.project}' not found in DevLake`);
    }
    if (scope.team !== null && !(await this.repository.teamExists(scope.team))) {
      throw new NotFoundError(`Team '${scope.team}' not found in DevLake`);
    }
  }
}
