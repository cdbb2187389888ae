import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { DeploymentEnvironment, DeploymentHistoryResponse, DeploymentStatus } from '@fawkes/plugin-devlake-common';
import { DoraRepository } from './DoraRepository';
import { ProjectResolver } from './ProjectResolver';
import { ResultCache } from './ResultCache';
import { toIso } from './sqlTime';

/** The API's environments and the DevLake environment values each one covers. */
export const ENVIRONMENTS: Record<DeploymentEnvironment, string[]> = {
  prod: ['PRODUCTION'],
  staging: ['STAGING'],
  dev: ['DEVELOPMENT', 'TESTING'],
};

/** DevLake's environment as the API's name; others lower-cased, '' as null. */
export function apiEnvironment(devlake: string | null): string | null {
  if (!devlake) return null;
  for (const [name, values] of Object.entries(ENVIRONMENTS)) {
    if (values.includes(devlake)) return name;
  }
  return devlake.toLowerCase();
}

/** `GET /deployment-history`: a project's deployments, newest first, one per deployment id. */
export class DeploymentHistoryService {
  constructor(
    private readonly repository: DoraRepository,
    private readonly resolver: ProjectResolver,
    private readonly cache: ResultCache,
  ) {}

  async getHistory(
    query: { service: string; environment?: DeploymentEnvironment; status?: DeploymentStatus; limit: number; offset: number },
    credentials: BackstageCredentials,
  ): Promise<DeploymentHistoryResponse> {
    const project = await this.resolver.resolve(query.service, credentials);
    const filter = {
      environments: query.environment ? ENVIRONMENTS[query.environment] : null,
      results: query.status ? [query.status] : null,
    };
    const key = ResultCache.key('deployment-history', {
      project,
      environment: query.environment ?? null,
      status: query.status ?? null,
      limit: query.limit,
      offset: query.offset,
    });
    const body = await this.cache.getOrCompute(key, async () => {
      if (!(await this.repository.projectExists(project))) {
        throw new NotFoundError(`Service '${query.service}' not found in DevLake`);
      }
      const total = await this.repository.countDeployments(project, filter);
      const rows = await this.repository.latestDeployments(project, filter, query.limit, query.offset);
      return {
        total,
        deployments: rows.map(row => ({
          id: row.deploymentId,
          title: row.title,
          url: row.url,
          version: row.version,
          environment: apiEnvironment(row.environment),
          status: row.result,
          startTime: toIso(row.startedMs),
          endTime: toIso(row.finishedMs),
          duration: row.durationSec,
          triggeredBy: null,
          commit: { sha: row.commitSha, message: row.commitMessage, author: row.authorEmail },
        })),
      };
    });
    return { service: query.service, deployments: body.deployments, total: body.total, offset: query.offset, limit: query.limit };
  }
}
