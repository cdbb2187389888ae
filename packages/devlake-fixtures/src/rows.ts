import { Knex } from 'knex';

/** Formats an instant as DevLake stores it: UTC `YYYY-MM-DD HH:MM:SS.sss` (datetime(3)). */
export function toDevLakeDateTime(value: Date | string | number): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new Error(`Invalid date: ${String(value)}`);
  }
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export type Row = Record<string, unknown>;

/** Stable identifiers of the ids DevLake generates for one project's scopes. */
export function projectScopeIds(project: string) {
  return {
    repoId: `github:GithubRepo:1:${project}`,
    cicdScopeId: `github:GithubRepo:1:${project}`,
    boardId: `jira:JiraBoard:1:${project}`,
    repoUrl: `https://github.com/example/${project}`,
  };
}

/** The rows that put one project with one repo, CI/CD scope and board into DevLake. */
export function projectRows(project: string): Record<string, Row[]> {
  const ids = projectScopeIds(project);
  return {
    projects: [{ name: project, description: `${project} (generated)` }],
    repos: [{ id: ids.repoId, name: `example/${project}`, url: ids.repoUrl, deleted: false }],
    cicd_scopes: [{ id: ids.cicdScopeId, name: `example/${project}`, url: ids.repoUrl }],
    boards: [{ id: ids.boardId, name: `${project} board` }],
    project_mapping: [
      { project_name: project, table: 'repos', row_id: ids.repoId },
      { project_name: project, table: 'cicd_scopes', row_id: ids.cicdScopeId },
      { project_name: project, table: 'boards', row_id: ids.boardId },
    ],
  };
}

/** The rows that make a DevLake team out of accounts (account → user → team). */
export function teamRows(
  team: { id: string; name: string },
  members: Array<{ accountId: string; userId?: string; email?: string; name?: string }>,
): Record<string, Row[]> {
  return {
    teams: [{ id: team.id, name: team.name, alias: team.name, sorting_index: 0 }],
    accounts: members.map(m => ({
      id: m.accountId,
      email: m.email ?? null,
      full_name: m.name ?? null,
      user_name: m.name ?? null,
    })),
    users: members.map(m => ({
      id: m.userId ?? `user:${m.accountId}`,
      email: m.email ?? null,
      name: m.name ?? null,
    })),
    user_accounts: members.map(m => ({
      account_id: m.accountId,
      user_id: m.userId ?? `user:${m.accountId}`,
    })),
    team_users: members.map(m => ({ team_id: team.id, user_id: m.userId ?? `user:${m.accountId}` })),
  };
}

// SQLite (>= 3.32) accepts 32766 bound parameters per statement, MySQL 65535.
const maxBindings = 27000;

/**
 * Inserts rows in batches sized to stay under the drivers' bound-parameter limits.
 * Rows of one call must share the same keys.
 */
export async function insertBatched(
  knex: Knex,
  table: string,
  rows: Row[],
  batchSize?: number,
): Promise<void> {
  if (rows.length === 0) return;
  const width = Math.max(1, Object.keys(rows[0]).length);
  // knex renders multi-row SQLite inserts as a compound SELECT, capped at 500 terms.
  const sqlite = String(knex.client.config.client).includes('sqlite');
  const size = batchSize ?? Math.max(1, Math.min(Math.floor(maxBindings / width), sqlite ? 450 : 2000));
  for (let i = 0; i < rows.length; i += size) {
    await knex(table).insert(rows.slice(i, i + size));
  }
}

/** Groups rows by their key set so each insert has uniform columns. */
export async function insertRows(knex: Knex, rowsByTable: Record<string, Row[]>): Promise<void> {
  for (const [table, rows] of Object.entries(rowsByTable)) {
    const groups = new Map<string, Row[]>();
    for (const row of rows) {
      const key = Object.keys(row).sort().join(',');
      const group = groups.get(key) ?? [];
      group.push(row);
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      await insertBatched(knex, table, group);
    }
  }
}
