import { Knex } from 'knex';

/**
 * The subset of DevLake's domain-layer tables the DORA dashboard reads, with DevLake's table
 * and column names and (GORM-derived) MySQL types: utf8mb4_bin collation, `datetime(3)` in
 * UTC, `commits.message` as binary LONGTEXT, and the unindexed longtext join columns
 * (`project_pr_metrics.deployment_commit_id`,
 * `project_incident_deployment_relationships.deployment_id`). On SQLite the same names are
 * used with SQLite's nearest types (text, blob, datetime stored as 'YYYY-MM-DD HH:MM:SS.sss').
 */
export const DEVLAKE_TABLES = [
  'projects',
  'project_mapping',
  'cicd_scopes',
  'repos',
  'boards',
  'cicd_deployment_commits',
  'cicd_deployments',
  'cicd_releases',
  'commits',
  'accounts',
  'users',
  'user_accounts',
  'teams',
  'team_users',
  'pull_requests',
  'project_pr_metrics',
  'incidents',
  'project_incident_deployment_relationships',
] as const;

export type DevLakeTable = (typeof DEVLAKE_TABLES)[number];

function isMySql(knex: Knex): boolean {
  const client = String(knex.client.config.client);
  return client === 'mysql' || client === 'mysql2';
}

/** Column helpers that produce DevLake's MySQL types, or SQLite equivalents. */
function columns(knex: Knex, t: Knex.CreateTableBuilder) {
  const mysql = isMySql(knex);
  return {
    longtext: (name: string) =>
      mysql ? t.specificType(name, 'longtext') : t.text(name),
    binaryLongtext: (name: string) =>
      mysql ? t.specificType(name, 'longtext character set binary') : t.binary(name),
    datetime3: (name: string) =>
      mysql ? t.specificType(name, 'datetime(3)').nullable() : t.string(name, 23).nullable(),
    bigint: (name: string) => t.bigInteger(name),
    ubigint: (name: string) => (mysql ? t.bigInteger(name).unsigned() : t.bigInteger(name)),
    double: (name: string) => (mysql ? t.specificType(name, 'double') : t.double(name)),
  };
}

/** created_at/updated_at and the _raw_data_* columns every domain table has. */
function commonColumns(knex: Knex, t: Knex.CreateTableBuilder) {
  const c = columns(knex, t);
  c.datetime3('created_at');
  c.datetime3('updated_at');
  t.string('_raw_data_params', 255).index();
  t.string('_raw_data_table', 255);
  c.ubigint('_raw_data_id');
  c.longtext('_raw_data_remark');
}

function tableOptions(knex: Knex, t: Knex.CreateTableBuilder) {
  if (isMySql(knex)) {
    t.charset('utf8mb4');
    t.collate('utf8mb4_bin');
    t.engine('InnoDB');
  }
}

const definitions: Record<DevLakeTable, (knex: Knex, t: Knex.CreateTableBuilder) => void> = {
  projects(knex, t) {
    t.string('name', 255).primary();
    t.text('description');
    commonColumns(knex, t);
  },
  project_mapping(knex, t) {
    t.string('project_name', 255).notNullable();
    t.string('table', 255).notNullable();
    t.string('row_id', 255).notNullable();
    t.primary(['project_name', 'table', 'row_id']);
    commonColumns(knex, t);
  },
  cicd_scopes(knex, t) {
    const c = columns(knex, t);
    t.string('id', 255).primary();
    t.string('name', 255);
    c.longtext('description');
    t.string('url', 255);
    c.datetime3('created_date');
    c.datetime3('updated_date');
    commonColumns(knex, t);
  },
  repos(knex, t) {
    const c = columns(knex, t);
    t.string('id', 255).primary();
    c.longtext('name');
    c.longtext('url');
    c.longtext('description');
    t.string('owner_id', 255);
    t.string('language', 255);
    c.longtext('forked_from');
    c.datetime3('created_date');
    c.datetime3('updated_date');
    t.boolean('deleted');
    commonColumns(knex, t);
  },
  boards(knex, t) {
    const c = columns(knex, t);
    t.string('id', 255).primary();
    t.string('name', 255);
    c.longtext('description');
    t.string('url', 255);
    c.datetime3('created_date');
    t.string('type', 255);
    commonColumns(knex, t);
  },
  cicd_deployment_commits(knex, t) {
    const c = columns(knex, t);
    t.string('id', 255).notNullable();
    t.string('cicd_scope_id', 255).index();
    t.string('cicd_deployment_id', 255);
    t.string('name', 255);
    c.longtext('display_title');
    c.longtext('url');
    t.string('result', 100);
    t.string('status', 100);
    t.string('original_status', 100);
    t.string('original_result', 100);
    t.string('environment', 255);
    t.string('original_environment', 255);
    c.datetime3('created_date');
    c.datetime3('queued_date');
    c.datetime3('started_date');
    c.datetime3('finished_date');
    c.double('duration_sec');
    c.double('queued_duration_sec');
    t.string('commit_sha', 255).notNullable();
    c.longtext('commit_msg');
    t.string('ref_name', 255);
    t.string('repo_id', 255);
    t.string('repo_url', 500).index();
    t.string('prev_success_deployment_commit_id', 255);
    t.string('subtask_name', 255);
    t.primary(['id', 'commit_sha']);
    commonColumns(knex, t);
  },
  cicd_deployments(knex, t) {
    const c = columns(knex, t);
    t.string('id', 255).primary();
    t.string('cicd_scope_id', 255).index();
    c.longtext('name');
    c.longtext('display_title');
    c.longtext('url');
    t.string('result', 100);
    t.string('status', 100);
    t.string('original_status', 100);
    t.string('original_result', 100);
    t.string('environment', 255);
    t.string('original_environment', 255);
    c.datetime3('created_date');
    c.datetime3('queued_date');
    c.datetime3('started_date');
    c.datetime3('finished_date');
    c.double('duration_sec');
    c.double('queued_duration_sec');
    t.string('subtask_name', 255);
    commonColumns(knex, t);
  },
  cicd_releases(knex, t) {
    const c = columns(knex, t);
    t.string('id', 255).primary();
    c.datetime3('published_at');
    t.string('cicd_scope_id', 255).index();
    t.string('name', 255);
    t.string('display_title', 255);
    c.longtext('description');
    c.longtext('url');
    t.boolean('is_draft');
    t.boolean('is_latest');
    t.boolean('is_prerelease');
    t.string('author_id', 255);
    t.string('repo_id', 255);
    c.longtext('tag_name');
    t.string('commit_sha', 255).unique();
    commonColumns(knex, t);
  },
  commits(knex, t) {
    const c = columns(knex, t);
    t.string('sha', 40).primary();
    c.bigint('additions');
    c.bigint('deletions');
    c.bigint('dev_eq');
    c.binaryLongtext('message');
    t.string('author_name', 255);
    t.string('author_email', 255);
    c.datetime3('authored_date');
    t.string('author_id', 255);
    t.string('committer_name', 255);
    t.string('committer_email', 255);
    c.datetime3('committed_date');
    t.string('committer_id', 255).index();
    commonColumns(knex, t);
  },
  accounts(knex, t) {
    const c = columns(knex, t);
    t.string('id', 255).primary();
    t.string('email', 255);
    t.string('full_name', 255);
    t.string('user_name', 255);
    t.string('avatar_url', 255);
    t.string('organization', 255);
    c.datetime3('created_date');
    c.bigint('status');
    commonColumns(knex, t);
  },
  users(knex, t) {
    t.string('id', 255).primary();
    t.string('email', 255);
    t.string('name', 255);
    commonColumns(knex, t);
  },
  user_accounts(knex, t) {
    t.string('account_id', 255).primary();
    t.string('user_id', 255);
    commonColumns(knex, t);
  },
  teams(knex, t) {
    const c = columns(knex, t);
    t.string('id', 255).primary();
    t.string('name', 255);
    t.string('alias', 255);
    t.string('parent_id', 255);
    c.bigint('sorting_index');
    commonColumns(knex, t);
  },
  team_users(knex, t) {
    t.string('team_id', 255).notNullable();
    t.string('user_id', 255).notNullable();
    t.primary(['team_id', 'user_id']);
    commonColumns(knex, t);
  },
  pull_requests(knex, t) {
    const c = columns(knex, t);
    t.string('id', 255).primary();
    t.string('base_repo_id', 191).index();
    t.string('head_repo_id', 191).index();
    t.string('status', 100);
    t.string('original_status', 100);
    c.longtext('title');
    c.longtext('description');
    t.string('url', 255);
    t.string('author_name', 100);
    t.string('author_id', 100);
    t.string('merged_by_name', 100);
    t.string('merged_by_id', 100);
    t.string('parent_pr_id', 100).index();
    c.bigint('pull_request_key');
    c.datetime3('created_date');
    c.datetime3('merged_date');
    c.datetime3('closed_date');
    t.string('type', 100);
    t.string('component', 100);
    t.string('merge_commit_sha', 40);
    t.string('head_ref', 255);
    t.string('base_ref', 255);
    t.string('base_commit_sha', 40);
    t.string('head_commit_sha', 40);
    c.bigint('additions');
    c.bigint('deletions');
    t.boolean('is_draft');
    commonColumns(knex, t);
  },
  project_pr_metrics(knex, t) {
    const c = columns(knex, t);
    t.string('id', 255).notNullable();
    t.string('project_name', 100).notNullable();
    c.longtext('first_commit_sha');
    c.longtext('first_review_id');
    // Unindexed longtext in DevLake: joins on it are slow on large data.
    c.longtext('deployment_commit_id');
    c.bigint('pr_coding_time');
    c.bigint('pr_pickup_time');
    c.bigint('pr_review_time');
    c.bigint('pr_deploy_time');
    c.bigint('pr_cycle_time');
    c.datetime3('first_commit_authored_date');
    c.datetime3('first_comment_date');
    c.datetime3('pr_created_date');
    c.datetime3('pr_merged_date');
    c.datetime3('pr_deployed_date');
    t.primary(['id', 'project_name']);
    commonColumns(knex, t);
  },
  incidents(knex, t) {
    const c = columns(knex, t);
    t.string('id', 255).primary();
    t.string('url', 255);
    t.string('incident_key', 255);
    c.longtext('title');
    c.longtext('description');
    t.string('status', 100);
    t.string('original_status', 100);
    c.datetime3('resolution_date');
    c.datetime3('created_date');
    c.datetime3('updated_date');
    c.ubigint('lead_time_minutes');
    c.bigint('original_estimate_minutes');
    c.bigint('time_spent_minutes');
    c.bigint('time_remaining_minutes');
    t.string('creator_id', 255);
    t.string('creator_name', 255);
    t.string('parent_incident_id', 255);
    t.string('priority', 255);
    t.string('severity', 255);
    t.string('urgency', 255);
    t.string('component', 255);
    t.string('original_project', 255);
    t.string('table', 255);
    t.string('scope_id', 255);
    t.string('assignee_id', 255);
    t.string('assignee_name', 255);
    t.index(['table', 'scope_id'], 'idx_table_scope_id');
    commonColumns(knex, t);
  },
  project_incident_deployment_relationships(knex, t) {
    const c = columns(knex, t);
    t.string('id', 255).notNullable();
    t.string('project_name', 100).notNullable();
    // Unindexed longtext in DevLake, holding a cicd_deployment_id.
    c.longtext('deployment_id');
    t.primary(['id', 'project_name']);
    commonColumns(knex, t);
  },
};

/** Creates the DevLake schema subset (skips tables that already exist). */
export async function createDevLakeSchema(knex: Knex): Promise<void> {
  for (const table of DEVLAKE_TABLES) {
    if (await knex.schema.hasTable(table)) continue;
    await knex.schema.createTable(table, t => {
      tableOptions(knex, t);
      definitions[table](knex, t);
    });
  }
}

/** Drops the DevLake schema subset. */
export async function dropDevLakeSchema(knex: Knex): Promise<void> {
  for (const table of [...DEVLAKE_TABLES].reverse()) {
    await knex.schema.dropTableIfExists(table);
  }
}
