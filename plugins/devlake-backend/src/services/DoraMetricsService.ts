import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { DoraBenchmark, DoraMetricsResponse } from '@fawkes/plugin-devlake-common';
import { Period } from '../metrics/period';
import { DoraMetricsCalculator } from './DoraMetricsCalculator';
import { DoraRepository } from './DoraRepository';
import { ProjectResolver } from './ProjectResolver';
import { ResultCache } from './ResultCache';

export interface DoraMetricsQuery {
  project?: string;
  team?: string;
  period: Period;
  benchmark: DoraBenchmark;
}

/** `GET /dora-metrics`: scope resolution, existence checks, caching and the response body. */
export class DoraMetricsService {
  constructor(
    private readonly repository: DoraRepository,
    private readonly resolver: ProjectResolver,
    private readonly cache: ResultCache,
  ) {}

  async getMetrics(query: DoraMetricsQuery, credentials: BackstageCredentials): Promise<DoraMetricsResponse> {
    const devlakeProject = query.project ? await this.resolver.resolve(query.project, credentials) : null;
    const team = query.team ?? null;
    const key = ResultCache.key('dora-metrics', {
      project: devlakeProject,
      team,
      from: query.period.fromMs,
      to: query.period.toMs,
      benchmark: query.benchmark,
    });
    const { metrics } = await this.cache.getOrCompute(key, async () => {
      if (devlakeProject !== null && !(await this.repository.projectExists(devlakeProject))) {
        throw new NotFoundError(`Project '${query.project}' not found in DevLake`);
      }
      if (team !== null && !(await this.repository.teamExists(team))) {
        throw new NotFoundError(`Team '${team}' not found in DevLake`);
      }
      return new DoraMetricsCalculator(this.repository).calculate(
        { projects: devlakeProject === null ? null : [devlakeProject], team },
        query.period,
        query.benchmark,
      );
    });
    return {
      project: query.project ?? null,
      team,
      period: { startDate: query.period.startDate, endDate: query.period.endDate },
      metrics,
    };
  }
}
