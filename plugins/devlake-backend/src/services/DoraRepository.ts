import { Knex } from 'knex';
import { DevLakeDatabase } from './DevLakeDatabase';
import { decodeText, fromSqlTime, toSqlTime } from './sqlTime';

/** Which DevLake data a query covers: projects (null = every project) and/or a team. */
export interface DoraScope {
  projects: string[] | null;
  team: string | null;
}

/** One row of a deployment (cicd_deployment_commits): its deployment id and finished_date. */
export interface DeploymentRowTime {
  deploymentId: string;
  finishedMs: number;
}

export interface DeployedPullRequest {
  id: string;
  cycleMinutes: number;
  deploymentFinishedMs: number;
}

/** One project_incident_deployment_relationships row whose incident exists. */
export interface LinkedIncident {
  incidentId: string;
  deploymentId: string;
  projectName: string | null;
  resolvedMs: number | null;
}

export interface RestoredIncident {
  id: string;
  /** NULL in DevLake when it could not compute one; the dashboard still ranks such rows. */
  leadTimeMinutes: number | null;
  resolvedMs: number;
}

/** Which deployments the history lists: DevLake environments and results (null = all). */
export interface HistoryFilter {
  environments: string[] | null;
  results: string[] | null;
}

export interface DeploymentRow {
  deploymentId: string;
  title: string | null;
  url: string | null;
  /** A release tag of the deployed commit, else the row's ref_name. */
  version: string | null;
  environment: string | null;
  result: string | null;
  startedMs: number | null;
  finishedMs: number | null;
  durationSec: number | null;
  commitSha: string;
  commitMessage: string | null;
  authorEmail: string | null;
}

// Ids per IN list: each list costs MySQL a scan of the (unindexed) relationship table, so few
// and long lists; well under SQLite's 32766 bound parameters.
const chunkSize = 5000;

/**
 * The minimal rows behind DevLake's DORA dashboard, fetched with portable, parameterized
 * knex queries that run unchanged on MySQL/MariaDB and SQLite. All bucketing and medians
 * happen in TypeScript. Never writes.
 */
export class DoraRepository {
  constructor(private readonly db: DevLakeDatabase) {}

  private get knex(): Knex {
    return this.db.knex;
  }

  async projectExists(name: string): Promise<boolean> {
    const rows = await this.db.run(this.knex('projects').select('name').where('name', name).limit(1));
    return rows.length > 0;
  }

  async teamExists(name: string): Promise<boolean> {
    const rows = await this.db.run(this.knex('teams').select('id').where('name', name).limit(1));
    return rows.length > 0;
  }

  /** accounts.id of a team's members: account → user_accounts → users → team_users → teams. */
  private teamAccounts(team: string): Knex.QueryBuilder {
    return this.knex('user_accounts as ua')
      .join('users as u', 'u.id', 'ua.user_id')
      .join('team_users as tu', 'tu.user_id', 'u.id')
      .join('teams as t', 't.id', 'tu.team_id')
      .where('t.name', team)
      .select('ua.account_id');
  }

  /**
   * The ids of `table` rows (cicd_scopes, repos) mapped to the scope's projects, or to any
   * project when `projects` is null. The queries then filter on these ids as constants rather
   * than joining project_mapping, so MySQL can range-scan a (scope id, date) index where one
   * exists instead of walking every row of the scope (see the README on large databases).
   */
  private async mappedIds(table: string, scope: DoraScope): Promise<string[]> {
    const query = this.knex('project_mapping').distinct('row_id').where('table', table);
    if (scope.projects) query.whereIn('project_name', scope.projects);
    const rows: Array<{ row_id: string }> = await this.db.run(query);
    return rows.map(r => r.row_id);
  }

  /**
   * The rows of the scope's successful production deployments that finished at or after
   * `sinceMs` (with a team, rows whose commit a member authored), in no order. A deployment
   * with a row at or after `sinceMs` has its latest row among them, so the max per
   * deployment computed from these rows is exact, and so is "has a row in [from, to]" for any
   * `from` ≥ `sinceMs`. Rows before `sinceMs` can change neither (see the README on why the
   * dashboard's deployment window is "any row in range").
   */
  async deploymentRows(scope: DoraScope, sinceMs: number): Promise<DeploymentRowTime[]> {
    const scopeIds = await this.mappedIds('cicd_scopes', scope);
    const query = this.knex('cicd_deployment_commits as cdc')
      .whereIn('cdc.cicd_scope_id', scopeIds)
      .where('cdc.result', 'SUCCESS')
      .where('cdc.environment', 'PRODUCTION')
      .where('cdc.finished_date', '>=', toSqlTime(sinceMs))
      .select('cdc.cicd_deployment_id as id', 'cdc.finished_date as finished');
    if (scope.team) {
      query.whereIn(
        'cdc.commit_sha',
        this.knex('commits as c').select('c.sha').whereIn('c.author_id', this.teamAccounts(scope.team)),
      );
    }
    const rows: Array<{ id: string; finished: unknown }> = await this.db.run(query);
    const result: DeploymentRowTime[] = [];
    for (const r of rows) {
      const finishedMs = fromSqlTime(r.finished);
      if (finishedMs !== null) result.push({ deploymentId: r.id, finishedMs });
    }
    return result;
  }

  /** Whether DevLake has collected any row of a table at all (the dashboard's `is_collected`). */
  async hasAnyRow(table: 'incidents' | 'cicd_deployment_commits'): Promise<boolean> {
    const rows = await this.db.run(this.knex(table).select(this.knex.raw('1 as one')).limit(1));
    return rows.length > 0;
  }

  /**
   * Merged PRs of the scope's repos with a cycle time, deployed by a deployment-commit whose
   * own finished_date is in [fromMs, toMs] (inclusive). With a team, PRs authored by a member.
   */
  async deployedPullRequests(scope: DoraScope, fromMs: number, toMs: number): Promise<DeployedPullRequest[]> {
    // DevLake indexes no date column, so as shipped this walks the scope's whole PR history:
    // `prk` reads only the base_repo_id index (which carries the id) and the PR row itself
    // (merged_date) is read last, for the few PRs whose deployment-commit finished in range.
    // With the README's indexes MySQL starts from the window's deployment-commits instead.
    const repoIds = await this.mappedIds('repos', scope);
    const query = this.knex('pull_requests as prk')
      .whereIn('prk.base_repo_id', repoIds)
      .join('project_pr_metrics as ppm', 'ppm.id', 'prk.id')
      .join('cicd_deployment_commits as cdc', 'cdc.id', 'ppm.deployment_commit_id')
      .join('pull_requests as pr', 'pr.id', 'prk.id')
      .whereNotNull('pr.merged_date')
      .whereNotNull('ppm.pr_cycle_time')
      .where('cdc.finished_date', '>=', toSqlTime(fromMs))
      .where('cdc.finished_date', '<=', toSqlTime(toMs))
      .distinct('pr.id as id', 'ppm.pr_cycle_time as cycle', 'cdc.finished_date as finished');
    if (scope.team) query.whereIn('pr.author_id', this.teamAccounts(scope.team));
    const rows: Array<{ id: string; cycle: unknown; finished: unknown }> = await this.db.run(query);
    return rows.map(r => ({
      id: r.id,
      cycleMinutes: Number(r.cycle),
      deploymentFinishedMs: fromSqlTime(r.finished)!,
    }));
  }

  /**
   * The relationship rows of the given deployments whose incident exists, one per row: an
   * incident linked to several projects (key `(id, project_name)`) comes once per project,
   * as the dashboard's join counts it.
   */
  async incidentsOfDeployments(deploymentIds: string[]): Promise<LinkedIncident[]> {
    const result: LinkedIncident[] = [];
    for (let i = 0; i < deploymentIds.length; i += chunkSize) {
      const chunk = deploymentIds.slice(i, i + chunkSize);
      const rows: Array<{ id: string; deployment_id: string; project_name: string | null; resolved: unknown }> =
        await this.db.run(
          this.knex('project_incident_deployment_relationships as pidr')
            .join('incidents as i', 'i.id', 'pidr.id')
            .whereIn('pidr.deployment_id', chunk)
            .select(
              'i.id as id',
              'pidr.deployment_id as deployment_id',
              'pidr.project_name as project_name',
              'i.resolution_date as resolved',
            ),
        );
      for (const r of rows) {
        result.push({
          incidentId: r.id,
          deploymentId: r.deployment_id,
          projectName: r.project_name ?? null,
          resolvedMs: fromSqlTime(r.resolved),
        });
      }
    }
    return result;
  }

  /**
   * The 2021 report's input: distinct (incident, lead time) on the scope's boards (or other
   * mapped scopes) resolved in [fromMs, toMs] (inclusive), NULL lead times included, as the
   * dashboard ranks them. With a team, assigned to a member.
   */
  async restoredIncidents(scope: DoraScope, fromMs: number, toMs: number): Promise<RestoredIncident[]> {
    const query = this.knex('incidents as i')
      .join('project_mapping as pm', function joinMapping() {
        this.on('pm.row_id', '=', 'i.scope_id').andOn('pm.table', '=', 'i.table');
      })
      .where('i.resolution_date', '>=', toSqlTime(fromMs))
      .where('i.resolution_date', '<=', toSqlTime(toMs))
      .distinct('i.id as id', 'i.lead_time_minutes as lead', 'i.resolution_date as resolved');
    if (scope.projects) query.whereIn('pm.project_name', scope.projects);
    if (scope.team) query.whereIn('i.assignee_id', this.teamAccounts(scope.team));
    const rows: Array<{ id: string; lead: unknown; resolved: unknown }> = await this.db.run(query);
    return rows.map(r => ({
      id: r.id,
      // `cast(lead_time_minutes as signed)`: whole minutes.
      leadTimeMinutes: r.lead === null || r.lead === undefined ? null : Math.trunc(Number(r.lead)),
      resolvedMs: fromSqlTime(r.resolved)!,
    }));
  }

  // Takes the ids, not the project: a query builder is a thenable, so an async function
  // returning one would run it.
  private historyBase(scopeIds: string[], filter: HistoryFilter): Knex.QueryBuilder {
    const query = this.knex('cicd_deployment_commits as cdc').whereIn('cdc.cicd_scope_id', scopeIds);
    if (filter.environments) query.whereIn('cdc.environment', filter.environments);
    if (filter.results) query.whereIn('cdc.result', filter.results);
    return query;
  }

  private projectScopeIds(project: string): Promise<string[]> {
    return this.mappedIds('cicd_scopes', { projects: [project], team: null });
  }

  private readonly tablePresence = new Map<string, Promise<boolean>>();

  /**
   * Whether DevLake's database has a table (cicd_deployments and cicd_releases are read where
   * present; older or hand-made DevLake-shaped databases may lack them). Asked once.
   */
  private hasTable(table: string): Promise<boolean> {
    let presence = this.tablePresence.get(table);
    if (!presence) {
      presence = this.knex.schema.hasTable(table).catch(error => {
        this.tablePresence.delete(table);
        throw error;
      });
      this.tablePresence.set(table, presence);
    }
    return presence;
  }

  /** Number of distinct deployments of a project (optionally in some environments / with some results). */
  async countDeployments(project: string, filter: HistoryFilter): Promise<number> {
    const rows: Array<{ n: unknown }> = await this.db.run(
      this.historyBase(await this.projectScopeIds(project), filter).countDistinct({ n: 'cdc.cicd_deployment_id' }),
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * The newest `limit` deployments of a project after the newest `offset` (by their latest finished_date). Each is
   * described by its row with the latest finished_date (ties: the smallest row id) — its
   * commit, result and environment — and spans the earliest start to the latest finish of
   * all its rows. Title and link come from DevLake's cicd_deployments row where there is one
   * (else the row's own), the version from a published release (cicd_releases) of the
   * commit where there is one (else the row's ref_name).
   */
  async latestDeployments(project: string, filter: HistoryFilter, limit: number, offset = 0): Promise<DeploymentRow[]> {
    const scopeIds = await this.projectScopeIds(project);
    const base = () => this.historyBase(scopeIds, filter);
    const newest: Array<{ id: string; finished: unknown }> = await this.db.run(
      base()
        .groupBy('cdc.cicd_deployment_id')
        .select('cdc.cicd_deployment_id as id')
        .max('cdc.finished_date as finished')
        .orderByRaw('max(cdc.finished_date) desc, cdc.cicd_deployment_id desc')
        .limit(limit)
        .offset(offset),
    );
    if (newest.length === 0) return [];
    const ids = newest.map(n => n.id);
    const rows: any[] = await this.db.run(
      base()
        .leftJoin('commits as c', 'c.sha', 'cdc.commit_sha')
        .whereIn('cdc.cicd_deployment_id', ids)
        .select(
          'cdc.id as row_id',
          'cdc.cicd_deployment_id as deployment_id',
          'cdc.name as name',
          'cdc.display_title as display_title',
          'cdc.url as url',
          'cdc.ref_name as ref_name',
          'cdc.environment as environment',
          'cdc.result as result',
          'cdc.started_date as started',
          'cdc.finished_date as finished',
          'cdc.duration_sec as duration',
          'cdc.commit_sha as sha',
          'cdc.commit_msg as commit_msg',
          'c.message as message',
          'c.author_email as author_email',
        ),
    );
    const best = new Map<string, any>();
    const span = new Map<string, { startedMs: number | null; finishedMs: number | null }>();
    for (const row of rows) {
      const current = best.get(row.deployment_id);
      const finished = fromSqlTime(row.finished) ?? -Infinity;
      const currentFinished = current ? fromSqlTime(current.finished) ?? -Infinity : -Infinity;
      if (
        !current ||
        finished > currentFinished ||
        (finished === currentFinished && String(row.row_id) < String(current.row_id))
      ) {
        best.set(row.deployment_id, row);
      }
      const started = fromSqlTime(row.started);
      const s = span.get(row.deployment_id) ?? { startedMs: null, finishedMs: null };
      if (started !== null && (s.startedMs === null || started < s.startedMs)) s.startedMs = started;
      if (finished !== -Infinity && (s.finishedMs === null || finished > s.finishedMs)) s.finishedMs = finished;
      span.set(row.deployment_id, s);
    }
    const [deployments, releases] = await Promise.all([
      this.deploymentRecords(ids),
      this.releaseTags([...best.values()].map(row => row.sha)),
    ]);
    return newest
      .map(n => best.get(n.id))
      .filter(Boolean)
      .map(row => {
        const { startedMs, finishedMs } = span.get(row.deployment_id)!;
        const record = deployments.get(row.deployment_id);
        const ownDuration = row.duration === null || row.duration === undefined ? null : Number(row.duration);
        return {
          deploymentId: row.deployment_id,
          title: record?.display_title || record?.name || row.display_title || row.name || null,
          url: record?.url || row.url || null,
          version: releases.get(row.sha) ?? (row.ref_name || null),
          environment: row.environment || null,
          result: row.result || null,
          startedMs,
          finishedMs,
          durationSec:
            startedMs !== null && finishedMs !== null ? Math.round((finishedMs - startedMs) / 1000) : ownDuration,
          commitSha: row.sha,
          commitMessage: decodeText(row.message) ?? decodeText(row.commit_msg),
          authorEmail: row.author_email || null,
        };
      });
  }

  /** DevLake's cicd_deployments rows of the given deployments, by id. */
  private async deploymentRecords(ids: string[]): Promise<Map<string, any>> {
    if (ids.length === 0 || !(await this.hasTable('cicd_deployments'))) return new Map();
    const rows: any[] = await this.db.run(
      this.knex('cicd_deployments').whereIn('id', ids).select('id', 'name', 'display_title', 'url'),
    );
    return new Map(rows.map(r => [r.id, r]));
  }

  /** The tag of the latest non-draft release of each commit (cicd_releases), by sha. */
  private async releaseTags(shas: string[]): Promise<Map<string, string>> {
    if (shas.length === 0 || !(await this.hasTable('cicd_releases'))) return new Map();
    const rows: Array<{ sha: string; tag: string | null; published: unknown; draft: unknown }> = await this.db.run(
      this.knex('cicd_releases')
        .whereIn('commit_sha', shas)
        .select('commit_sha as sha', 'tag_name as tag', 'published_at as published', 'is_draft as draft'),
    );
    const tags = new Map<string, { tag: string; publishedMs: number }>();
    for (const r of rows) {
      if (!r.tag || r.draft === 1 || r.draft === true) continue;
      const publishedMs = fromSqlTime(r.published) ?? -Infinity;
      const current = tags.get(r.sha);
      if (!current || publishedMs > current.publishedMs) tags.set(r.sha, { tag: r.tag, publishedMs });
    }
    return new Map([...tags.entries()].map(([sha, t]) => [sha, t.tag]));
  }
}
