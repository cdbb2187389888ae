import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  DoraBenchmark,
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

/**
 * `GET /dora-metrics` and `GET /dora-metrics/series`: scope resolution, existence checks,
 * caching and the response bodies.
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
    const { scope, key } = await this.scope(query, credentials);
    const { metrics } = await this.cache.getOrCompute(ResultCache.key('dora-metrics', key), async () => {
      await this.checkExists(query, scope);
      return this.calculator.calculate(scope, query.period, query.benchmark);
    });
    return {
      project: query.project ?? null,
      team: scope.team,
      period: { startDate: query.period.startDate, endDate: query.period.endDate },
      metrics,
    };
  }

  async getSeries(
    query: DoraMetricsQuery & { interval: DoraSeriesInterval },
    credentials: BackstageCredentials,
  ): Promise<DoraSeriesResponse> {
    const { scope, key } = await this.scope(query, credentials);
    const buckets = await this.cache.getOrCompute(
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
    };
  }

  private async scope(query: DoraMetricsQuery, credentials: BackstageCredentials) {
    const devlakeProject = query.project ? await this.resolver.resolve(query.project, credentials) : null;
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
