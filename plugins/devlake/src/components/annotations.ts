import { Entity } from '@backstage/catalog-model';

/**
 * The DevLake project of a catalog entity (the backend resolves it the same way).
 *
 * @public
 */
export const DEVLAKE_PROJECT_ANNOTATION = 'devlake.apache.org/project-name';
/**
 * The DevLake team of a Group entity; default: the group's name.
 *
 * @public
 */
export const DEVLAKE_TEAM_ANNOTATION = 'devlake.apache.org/team';

/**
 * Whether the entity names a DevLake project (the card's and tab's default filter).
 *
 * @public
 */
export function isDevLakeAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[DEVLAKE_PROJECT_ANNOTATION]);
}

/**
 * Whether the entity is a Group (the team view's filter).
 *
 * @public
 */
export function isDevLakeTeam(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'group';
}

export function devlakeProjectName(entity: Entity): string {
  return entity.metadata.annotations?.[DEVLAKE_PROJECT_ANNOTATION] ?? entity.metadata.name;
}

export function devlakeTeamName(entity: Entity): string {
  return entity.metadata.annotations?.[DEVLAKE_TEAM_ANNOTATION] ?? entity.metadata.name;
}
