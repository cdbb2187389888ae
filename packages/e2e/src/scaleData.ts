import { createDevLakeSchema, generateDevLakeData } from '@fawkes/devlake-fixtures';
import knexFactory from 'knex';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ScaleData {
  /** A DevLake-shaped SQLite database (devlake.database, client better-sqlite3). */
  devlakeFile: string;
  /** A catalog file: one Group per DevLake team, one Component per project. */
  catalogFile: string;
  teams: string[];
  /** Component names by owning group. */
  servicesByTeam: Map<string, string[]>;
}

/**
 * Generated demo data at the size of Fawkes' criterion: `services` DevLake projects across
 * `teams` DevLake teams, and a catalog where each team's group owns an equal share of them.
 */
export async function writeScaleData(dir: string, services = 120, teams = 20): Promise<ScaleData> {
  const devlakeFile = join(dir, 'devlake-scale.sqlite');
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: devlakeFile },
    useNullAsDefault: true,
  });
  let summary;
  try {
    await createDevLakeSchema(knex);
    summary = await generateDevLakeData(knex, { seed: 11, projects: services, teams, days: 91 });
  } finally {
    await knex.destroy();
  }
  const servicesByTeam = new Map<string, string[]>(summary.teams.map(team => [team, []]));
  const documents: object[] = summary.teams.map(team => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: team },
    spec: { type: 'team', children: [] },
  }));
  summary.projects.forEach((project, index) => {
    const owner = summary.teams[index % summary.teams.length];
    const name = `${project}-svc`;
    servicesByTeam.get(owner)!.push(name);
    documents.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, annotations: { 'devlake.apache.org/project-name': project } },
      spec: { type: 'service', lifecycle: 'production', owner },
    });
  });
  const catalogFile = join(dir, 'catalog-scale.yaml');
  // JSON is YAML: one document per entity.
  writeFileSync(catalogFile, documents.map(d => `---\n${JSON.stringify(d)}\n`).join(''));
  return { devlakeFile, catalogFile, teams: summary.teams, servicesByTeam };
}
