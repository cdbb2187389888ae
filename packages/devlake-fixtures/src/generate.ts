import { Knex } from 'knex';
import { insertBatched, projectRows, projectScopeIds, Row, teamRows, toDevLakeDateTime } from './rows';

export interface GenerateDevLakeDataOptions {
  /** PRNG seed; the same options always produce the same rows. Default 1. */
  seed?: number;
  /** Number of DevLake projects. Default 4. */
  projects?: number;
  /** Number of DevLake teams. Default 3. */
  teams?: number;
  /** Members (accounts) per team. Default 4. */
  membersPerTeam?: number;
  /** Days of history ending at `now`. Default 182 (six months). */
  days?: number;
  /** End of the generated history. Default: the current UTC day at 00:00. */
  now?: Date | string;
  /** Multiplies the default deployment rate (about 1 deployment per project and day). */
  scale?: number;
  /** Total deployments to generate (overrides `scale`). */
  deployments?: number;
  /** Rows buffered per table before a batched insert. Default 2000. */
  batchSize?: number;
  /**
   * `realistic` (default): a deployment's rows within minutes, daytime UTC. `edge`: the cases
   * where DevLake's dashboard reads unlike the obvious SQL — rows of one deployment spread
   * over up to two days (across window edges), finishes at any time of day including
   * 23:59:59.500 and 00:00:00.000, resolved incidents with a NULL lead time, and incidents
   * linked to a second project (two relationship rows).
   */
  profile?: 'realistic' | 'edge';
  /** Write incidents (default true); false leaves the incidents table empty. */
  incidents?: boolean;
}

export interface GeneratedDevLakeSummary {
  projects: string[];
  teams: string[];
  deployments: number;
  deploymentCommitRows: number;
  pullRequests: number;
  incidents: number;
  from: string;
  to: string;
}

// The first two match the example catalog's annotations (examples/entities.yaml).
const projectNames = [
  'my-service',
  'payments',
  'checkout-service',
  'catalog-web',
  'identity-service',
  'search-indexer',
  'notifications',
  'inventory-service',
];
const teamNames = ['platform-team', 'payments-team', 'web-team', 'data-team', 'mobile-team'];
const commitMessages = [
  'feat: add new feature',
  'fix: handle empty cart',
  'chore(deps): bump knex',
  'fix: café menu renders “smart quotes” ✓',
  'feat: 日本語 search support',
  'refactor: split service layer',
  'perf: cache catalog lookups',
  'docs: update runbook',
];

/** mulberry32: a small, fast, deterministic PRNG. */
function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
    hex: (length: number) => {
      let out = '';
      while (out.length < length) out += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');
      return out.slice(0, length);
    },
  };
}

/** Buffers rows per table and writes them in batches, so memory stays bounded at any scale. */
class BatchWriter {
  private readonly buffers = new Map<string, Row[]>();
  private buffered = 0;
  constructor(
    private readonly knex: Knex,
    private readonly batchSize: number,
  ) {}

  async add(table: string, row: Row) {
    const buffer = this.buffers.get(table) ?? [];
    buffer.push(row);
    this.buffers.set(table, buffer);
    if (++this.buffered >= this.batchSize * 4) await this.flush();
  }

  async flush() {
    if (this.buffered === 0) return;
    const tables = [...this.buffers.entries()];
    this.buffers.clear();
    this.buffered = 0;
    await this.knex.transaction(async trx => {
      for (const [table, rows] of tables) {
        await insertBatched(trx, table, rows);
      }
    });
  }
}

function projectName(index: number): string {
  const base = projectNames[index % projectNames.length];
  return index < projectNames.length ? base : `${base}-${Math.floor(index / projectNames.length) + 1}`;
}

function teamName(index: number): string {
  const base = teamNames[index % teamNames.length];
  return index < teamNames.length ? base : `${base}-${Math.floor(index / teamNames.length) + 1}`;
}

const minute = 60_000;

/** 80 % PRODUCTION, 10 % STAGING, 5 % TESTING, 5 % DEVELOPMENT. */
function pickEnvironment(roll: number): string {
  if (roll < 0.8) return 'PRODUCTION';
  if (roll < 0.9) return 'STAGING';
  if (roll < 0.95) return 'TESTING';
  return 'DEVELOPMENT';
}
const day = 24 * 60 * minute;

interface PendingIncident {
  id: string;
  key: string;
  version: string;
  created: number;
  restoreMinutes: number;
  assignee: string;
  nullLeadTime: boolean;
  secondProject: string | null;
}

/** The latest deployment finished strictly before `ms` (deployments sorted by finish). */
function latestBefore<T extends { finishedMs: number }>(sorted: T[], ms: number): T | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].finishedMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1] : undefined;
}

/**
 * Writes a deterministic, DevLake-shaped data set: projects with their repo / CI/CD scope /
 * board mappings, teams (account → user → team), production and non-production deployments
 * (some with several deployment-commit rows, some FAILURE), commits, merged PRs with
 * project_pr_metrics, and incidents linked to the latest production deployment before them,
 * as DevLake links them. Rows are generated and written in
 * batches, so it scales to millions of deployment-commit rows.
 */
export async function generateDevLakeData(
  knex: Knex,
  options: GenerateDevLakeDataOptions = {},
): Promise<GeneratedDevLakeSummary> {
  const random = createRandom(options.seed ?? 1);
  const projectCount = options.projects ?? 4;
  const teamCount = Math.max(1, options.teams ?? 3);
  const membersPerTeam = Math.max(1, options.membersPerTeam ?? 4);
  const days = options.days ?? 182;
  const now = options.now ? new Date(options.now) : new Date(Math.floor(Date.now() / day) * day);
  const end = now.getTime();
  const start = end - days * day;
  const writer = new BatchWriter(knex, options.batchSize ?? 2000);
  const edge = options.profile === 'edge';
  const withIncidents = options.incidents ?? true;
  // Edge finishes: any minute of the day, a share exactly on a day's first or last instants.
  const edgeInstant = (dayStart: number) => {
    const roll = random.next();
    if (roll < 0.1) return dayStart + day - 500; // 23:59:59.500
    if (roll < 0.2) return dayStart; // 00:00:00.000
    if (roll < 0.25) return dayStart + day - 1000; // 23:59:59.000
    return dayStart + random.int(0, 24 * 60 - 1) * minute + random.int(0, 59_999);
  };

  // Projects deploy at different paces so that every performance class shows up.
  const paceWeights = [2.5, 1.2, 0.35, 0.08];
  const pace = (p: number) => paceWeights[p % paceWeights.length];
  const weightSum = Array.from({ length: projectCount }, (_, p) => pace(p)).reduce((a, b) => a + b, 0);
  const baseRate = options.deployments
    ? options.deployments / (days * Math.max(weightSum, 1e-9))
    : (options.scale ?? 1) * 1;

  const projects = Array.from({ length: projectCount }, (_, p) => projectName(p));
  const teams = Array.from({ length: teamCount }, (_, t) => teamName(t));
  const teamAccounts: string[][] = [];
  const emails = new Map<string, string>();

  for (const project of projects) {
    for (const [table, rows] of Object.entries(projectRows(project))) {
      for (const row of rows) await writer.add(table, row);
    }
  }
  for (let t = 0; t < teamCount; t++) {
    const members = Array.from({ length: membersPerTeam }, (_, m) => ({
      accountId: `github:GithubAccount:1:${1000 + t * membersPerTeam + m}`,
      userId: `user:${teams[t]}:${m}`,
      email: `dev${t * membersPerTeam + m}@example.com`,
      name: `Developer ${t * membersPerTeam + m}`,
    }));
    teamAccounts.push(members.map(m => m.accountId));
    for (const m of members) emails.set(m.accountId, m.email);
    for (const [table, rows] of Object.entries(teamRows({ id: `team:${t}`, name: teams[t] }, members))) {
      for (const row of rows) await writer.add(table, row);
    }
  }
  // An account no team claims (a bot), so team scoping has something to exclude.
  const botAccount = 'github:GithubAccount:1:1';
  await writer.add('accounts', {
    id: botAccount,
    email: 'bot@example.com',
    full_name: 'Release Bot',
    user_name: 'release-bot',
  });

  let deployments = 0;
  let deploymentCommitRows = 0;
  let pullRequests = 0;
  let incidents = 0;

  for (let p = 0; p < projectCount; p++) {
    const project = projects[p];
    const ids = projectScopeIds(project);
    const owners = teamAccounts[p % teamCount];
    const rate = baseRate * pace(p);
    const productionDeployments: Array<{ id: string; finishedMs: number }> = [];
    const pendingIncidents: PendingIncident[] = [];
    for (let d = 0; d < days; d++) {
      const dayStart = start + d * day;
      const weekday = new Date(dayStart).getUTCDay();
      const dayRate = weekday === 0 || weekday === 6 ? rate * 0.2 : rate;
      // Poisson-like count: whole part plus a chance for the fraction, with jitter.
      let count = Math.floor(dayRate);
      if (random.chance(dayRate - count)) count++;
      if (count > 0 && random.chance(0.25)) count += random.int(-1, 1);
      for (let k = 0; k < count; k++) {
        deployments++;
        const deploymentId = `github:GithubRun:1:${p}:${deployments}`;
        const environment = pickEnvironment(random.next());
        const result = random.chance(0.12) ? 'FAILURE' : 'SUCCESS';
        const finished = edge ? edgeInstant(dayStart) : dayStart + random.int(7 * 60, 19 * 60) * minute + random.int(0, 59_999);
        const durationSec = random.int(60, 1800);
        let rowCount = 1;
        if (!random.chance(0.7)) rowCount = random.chance(0.66) ? 2 : 3;
        const version = `v1.${Math.floor(deployments / 10)}.${deployments % 10}`;
        const deployedOk = result === 'SUCCESS' && environment === 'PRODUCTION';
        let lastRowFinished = finished;
        let lastSha = '';
        for (let r = 0; r < rowCount; r++) {
          const sha = random.hex(40);
          const rowFinished = finished + r * (edge ? random.int(1, 36 * 60) * minute : random.int(1, 90) * 1000);
          lastRowFinished = Math.max(lastRowFinished, rowFinished);
          lastSha = sha;
          const rowId = `${deploymentId}:${sha.slice(0, 12)}`;
          const author = random.chance(0.08) ? botAccount : random.pick(owners);
          const message = random.pick(commitMessages);
          deploymentCommitRows++;
          await writer.add('cicd_deployment_commits', {
            id: rowId,
            cicd_scope_id: ids.cicdScopeId,
            cicd_deployment_id: deploymentId,
            name: `deploy-${environment.toLowerCase()} #${deployments}`,
            display_title: message,
            url: `${ids.repoUrl}/actions/runs/${deployments}`,
            result,
            status: 'DONE',
            original_status: 'completed',
            original_result: result.toLowerCase(),
            environment,
            original_environment: environment.toLowerCase(),
            created_date: toDevLakeDateTime(rowFinished - durationSec * 1000 - 30_000),
            started_date: toDevLakeDateTime(rowFinished - durationSec * 1000),
            finished_date: toDevLakeDateTime(rowFinished),
            duration_sec: durationSec,
            commit_sha: sha,
            commit_msg: message,
            ref_name: version,
            repo_id: ids.repoId,
            repo_url: ids.repoUrl,
          });
          const authored = rowFinished - random.int(30, 10 * 24 * 60) * minute;
          await writer.add('commits', {
            sha,
            additions: random.int(1, 400),
            deletions: random.int(0, 200),
            message: Buffer.from(message, 'utf8'),
            author_name: author,
            author_email: emails.get(author) ?? 'bot@example.com',
            authored_date: toDevLakeDateTime(authored),
            author_id: author,
            committer_id: author,
            committed_date: toDevLakeDateTime(authored),
          });
          // One merged PR per commit; only successful production deployments ship it.
          pullRequests++;
          const prId = `github:GithubPullRequest:1:${p}:${pullRequests}`;
          const merged = Math.min(rowFinished - minute, authored + random.int(10, 3 * 24 * 60) * minute);
          await writer.add('pull_requests', {
            id: prId,
            base_repo_id: ids.repoId,
            head_repo_id: ids.repoId,
            status: 'MERGED',
            title: message,
            url: `${ids.repoUrl}/pull/${pullRequests}`,
            author_id: author,
            author_name: author,
            pull_request_key: pullRequests,
            created_date: toDevLakeDateTime(authored + minute),
            merged_date: toDevLakeDateTime(merged),
            merge_commit_sha: sha,
          });
          await writer.add('project_pr_metrics', {
            id: prId,
            project_name: project,
            first_commit_sha: sha,
            deployment_commit_id: deployedOk ? rowId : null,
            pr_cycle_time: deployedOk ? Math.ceil((rowFinished - authored) / minute) : Math.ceil((merged - authored) / minute),
            pr_created_date: toDevLakeDateTime(authored + minute),
            pr_merged_date: toDevLakeDateTime(merged),
            pr_deployed_date: deployedOk ? toDevLakeDateTime(rowFinished) : null,
          });
        }
        // DevLake's cicd_deployments row (derived from the deployment's commits) and, for every
        // tenth production deployment, a published release (tag) of its last commit.
        await writer.add('cicd_deployments', {
          id: deploymentId,
          cicd_scope_id: ids.cicdScopeId,
          name: `deploy-${environment.toLowerCase()} #${deployments}`,
          display_title: `Deploy ${version} to ${environment.toLowerCase()}`,
          url: `${ids.repoUrl}/actions/runs/${deployments}`,
          result,
          status: 'DONE',
          environment,
          started_date: toDevLakeDateTime(finished - durationSec * 1000),
          finished_date: toDevLakeDateTime(lastRowFinished),
          duration_sec: Math.round((lastRowFinished - finished) / 1000) + durationSec,
        });
        if (deployedOk && deployments % 10 === 0) {
          await writer.add('cicd_releases', {
            id: `github:GithubRelease:1:${p}:${deployments}`,
            published_at: toDevLakeDateTime(lastRowFinished),
            cicd_scope_id: ids.cicdScopeId,
            name: `Release ${version}`,
            display_title: `Release ${version}`,
            url: `${ids.repoUrl}/releases/tag/${version}`,
            tag_name: version,
            repo_id: ids.repoId,
            commit_sha: lastSha,
          });
        }
        if (deployedOk) {
          productionDeployments.push({ id: deploymentId, finishedMs: lastRowFinished });
          if (withIncidents && random.chance(0.12)) {
            incidents++;
            const created = finished + random.int(10, 6 * 60) * minute;
            const restoreMinutes = random.chance(0.5) ? random.int(15, 120) : random.int(120, 4 * 24 * 60);
            pendingIncidents.push({
              id: `jira:JiraIssue:1:${p}:${incidents}`,
              key: `INC-${incidents}`,
              version,
              created,
              restoreMinutes,
              assignee: random.pick(owners),
              nullLeadTime: edge && random.chance(0.2),
              secondProject: edge && projectCount > 1 && random.chance(0.2) ? projects[(p + 1) % projectCount] : null,
            });
          }
        }
      }
    }
    // Like DevLake's DORA plugin: an incident belongs to the latest production deployment of
    // the project that finished before the incident was created (none before it: no link).
    productionDeployments.sort((a, b) => a.finishedMs - b.finishedMs);
    for (const incident of pendingIncidents) {
      const resolved = incident.created + incident.restoreMinutes * minute;
      const done = resolved < end;
      await writer.add('incidents', {
        id: incident.id,
        incident_key: incident.key,
        title: `Incident after ${incident.version}`,
        status: done ? 'DONE' : 'IN_PROGRESS',
        created_date: toDevLakeDateTime(incident.created),
        resolution_date: done ? toDevLakeDateTime(resolved) : null,
        lead_time_minutes: done && !incident.nullLeadTime ? incident.restoreMinutes : null,
        table: 'boards',
        scope_id: ids.boardId,
        assignee_id: incident.assignee,
      });
      const cause = latestBefore(productionDeployments, incident.created);
      if (!cause) continue;
      for (const relatedProject of [project, ...(incident.secondProject ? [incident.secondProject] : [])]) {
        await writer.add('project_incident_deployment_relationships', {
          id: incident.id,
          project_name: relatedProject,
          deployment_id: cause.id,
        });
      }
    }
  }
  await writer.flush();
  return {
    projects,
    teams,
    deployments,
    deploymentCommitRows,
    pullRequests,
    incidents,
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
  };
}
