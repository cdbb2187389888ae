import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { insertRows, projectRows, projectScopeIds, Row, teamRows, toDevLakeDateTime } from './rows';

type Instant = string | Date | number;

export interface DeploymentCommitInput {
  project: string;
  /** cicd_deployment_id shared by all rows of one deployment. */
  deploymentId: string;
  /** The deployment-commit id (cicd_deployment_commits.id); defaults to `<deploymentId>:<sha>`. */
  id?: string;
  sha?: string;
  finished: Instant | null;
  started?: Instant | null;
  result?: string;
  environment?: string;
  /** accounts.id of the commit author (enters the team chain). */
  author?: string;
  authorEmail?: string;
  message?: string;
  refName?: string;
  name?: string;
  durationSec?: number | null;
  /** Overrides the CI/CD scope (defaults to the project's). */
  cicdScopeId?: string;
  /** cicd_deployment_commits.display_title / url. */
  displayTitle?: string;
  url?: string;
}

/** A cicd_deployments row (DevLake writes one per deployment). */
export interface DeploymentInput {
  project: string;
  deploymentId: string;
  name?: string;
  displayTitle?: string;
  url?: string;
}

/** A cicd_releases row: a published release (tag) of a commit. */
export interface ReleaseInput {
  project: string;
  id: string;
  commitSha: string;
  tagName: string;
  publishedAt: Instant;
  url?: string;
}

export interface PullRequestInput {
  project: string;
  id: string;
  /** project_pr_metrics.pr_cycle_time in minutes; null leaves it NULL. */
  cycleMinutes: number | null;
  merged?: Instant | null;
  /** cicd_deployment_commits.id of the deployment that shipped it; null = never deployed. */
  deploymentCommitId?: string | null;
  author?: string;
  /** Write a project_pr_metrics row (default true). */
  withMetrics?: boolean;
}

export interface IncidentInput {
  project: string;
  id: string;
  created: Instant;
  resolved?: Instant | null;
  /** incidents.lead_time_minutes (the 2021 time to restore). */
  leadTimeMinutes?: number | null;
  /** cicd_deployment_id the incident is attributed to (project_incident_deployment_relationships). */
  deploymentId?: string;
  assignee?: string;
  /** Write only the relationship row, without the incident itself. */
  orphanRelationship?: boolean;
  /**
   * More projects whose relationship rows link the incident to the same deployment (DevLake's
   * key is `(id, project_name)`, so one incident can have a row per project).
   */
  alsoLinkedFor?: string[];
}

/**
 * A small builder for hand-written DevLake fixtures in tests:
 * `fx.project('alpha'); fx.deploymentCommit({...}); await fx.write(knex)`.
 */
export class DevLakeFixture {
  private readonly rows: Record<string, Row[]> = {};
  private readonly commitShas = new Set<string>();
  private readonly accounts = new Set<string>();
  private shaCounter = 0;

  private add(table: string, row: Row) {
    (this.rows[table] ??= []).push(row);
  }

  private addAll(rowsByTable: Record<string, Row[]>) {
    for (const [table, rows] of Object.entries(rowsByTable)) {
      for (const row of rows) {
        if (table === 'accounts') {
          if (this.accounts.has(String(row.id))) continue;
          this.accounts.add(String(row.id));
        }
        this.add(table, row);
      }
    }
  }

  project(name: string): this {
    this.addAll(projectRows(name));
    return this;
  }

  /** Maps an extra table row (e.g. another project's scope) into a project. */
  mapping(project: string, table: string, rowId: string): this {
    this.add('project_mapping', { project_name: project, table, row_id: rowId });
    return this;
  }

  team(id: string, name: string, accountIds: string[]): this {
    this.addAll(teamRows({ id, name }, accountIds.map(accountId => ({ accountId }))));
    return this;
  }

  deploymentCommit(input: DeploymentCommitInput): string {
    const sha =
      input.sha ??
      createHash('sha1').update(`${input.deploymentId}:${++this.shaCounter}`).digest('hex');
    const id = input.id ?? `${input.deploymentId}:${sha}`;
    const ids = projectScopeIds(input.project);
    this.add('cicd_deployment_commits', {
      id,
      cicd_scope_id: input.cicdScopeId ?? ids.cicdScopeId,
      cicd_deployment_id: input.deploymentId,
      name: input.name ?? `deploy ${input.deploymentId}`,
      display_title: input.displayTitle ?? input.name ?? '',
      url: input.url ?? null,
      result: input.result ?? 'SUCCESS',
      status: 'DONE',
      original_status: 'completed',
      original_result: (input.result ?? 'SUCCESS').toLowerCase(),
      environment: input.environment ?? 'PRODUCTION',
      original_environment: (input.environment ?? 'PRODUCTION').toLowerCase(),
      started_date: input.started === null || input.started === undefined ? null : toDevLakeDateTime(input.started),
      finished_date: input.finished === null ? null : toDevLakeDateTime(input.finished),
      duration_sec: input.durationSec ?? null,
      commit_sha: sha,
      commit_msg: input.message ?? null,
      ref_name: input.refName ?? 'main',
      repo_id: ids.repoId,
      repo_url: ids.repoUrl,
    });
    if (!this.commitShas.has(sha)) {
      this.commitShas.add(sha);
      this.add('commits', {
        sha,
        message: input.message === undefined ? null : Buffer.from(input.message, 'utf8'),
        author_name: input.author ?? null,
        author_email: input.authorEmail ?? null,
        author_id: input.author ?? null,
        authored_date: null,
      });
    }
    return id;
  }

  deployment(input: DeploymentInput): this {
    this.add('cicd_deployments', {
      id: input.deploymentId,
      cicd_scope_id: projectScopeIds(input.project).cicdScopeId,
      name: input.name ?? null,
      display_title: input.displayTitle ?? null,
      url: input.url ?? null,
    });
    return this;
  }

  release(input: ReleaseInput): this {
    const ids = projectScopeIds(input.project);
    this.add('cicd_releases', {
      id: input.id,
      published_at: toDevLakeDateTime(input.publishedAt),
      cicd_scope_id: ids.cicdScopeId,
      name: input.tagName,
      tag_name: input.tagName,
      url: input.url ?? null,
      repo_id: ids.repoId,
      commit_sha: input.commitSha,
    });
    return this;
  }

  pullRequest(input: PullRequestInput): this {
    const ids = projectScopeIds(input.project);
    const merged = input.merged === undefined ? '2000-01-01T00:00:00Z' : input.merged;
    this.add('pull_requests', {
      id: input.id,
      base_repo_id: ids.repoId,
      head_repo_id: ids.repoId,
      status: merged ? 'MERGED' : 'OPEN',
      title: `PR ${input.id}`,
      author_id: input.author ?? null,
      merged_date: merged ? toDevLakeDateTime(merged) : null,
    });
    if (input.withMetrics !== false) {
      this.add('project_pr_metrics', {
        id: input.id,
        project_name: input.project,
        deployment_commit_id: input.deploymentCommitId ?? null,
        pr_cycle_time: input.cycleMinutes,
      });
    }
    return this;
  }

  incident(input: IncidentInput): this {
    const ids = projectScopeIds(input.project);
    if (!input.orphanRelationship) {
      this.add('incidents', {
        id: input.id,
        incident_key: input.id,
        title: `Incident ${input.id}`,
        status: input.resolved ? 'DONE' : 'IN_PROGRESS',
        created_date: toDevLakeDateTime(input.created),
        resolution_date: input.resolved ? toDevLakeDateTime(input.resolved) : null,
        lead_time_minutes: input.leadTimeMinutes ?? null,
        table: 'boards',
        scope_id: ids.boardId,
        assignee_id: input.assignee ?? null,
      });
    }
    if (input.deploymentId) {
      for (const project of [input.project, ...(input.alsoLinkedFor ?? [])]) {
        this.add('project_incident_deployment_relationships', {
          id: input.id,
          project_name: project,
          deployment_id: input.deploymentId,
        });
      }
    }
    return this;
  }

  /** Writes everything collected so far. */
  async write(knex: Knex): Promise<void> {
    await insertRows(knex, this.rows);
  }
}
