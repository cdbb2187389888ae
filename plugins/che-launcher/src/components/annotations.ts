import { Entity } from '@backstage/catalog-model';

/**
 * `"true"` turns the "Cloud development environment" card on for an entity.
 *
 * @public
 */
export const CHE_ENABLED_ANNOTATION = 'eclipse.org/che-enabled';
/**
 * The name of a golden-path devfile template (`cheLauncher.devfiles`) the entity's workspaces use.
 *
 * @public
 */
export const CHE_DEVFILE_ANNOTATION = 'eclipse.org/che-devfile';
/**
 * The HTTPS URL of the entity's own devfile (instead of a template).
 *
 * @public
 */
export const CHE_DEVFILE_URL_ANNOTATION = 'eclipse.org/che-devfile-url';

/**
 * Where an entity's workspaces get their devfile from, as its annotations say.
 *
 * @public
 */
export type EntityDevfileSource = { template: string } | { devfileUrl: string };

/**
 * The entity's devfile source, or undefined when Che is not enabled on it.
 *
 * @public
 */
export function entityDevfileSource(entity: Entity): EntityDevfileSource | undefined {
  const annotations = entity.metadata.annotations ?? {};
  if (annotations[CHE_ENABLED_ANNOTATION]?.trim().toLocaleLowerCase('en-US') !== 'true') {
    return undefined;
  }
  const devfileUrl = annotations[CHE_DEVFILE_URL_ANNOTATION]?.trim();
  if (devfileUrl) return { devfileUrl };
  const template = annotations[CHE_DEVFILE_ANNOTATION]?.trim();
  if (template) return { template };
  return undefined;
}

/**
 * Whether the entity has Che enabled and names a devfile (the entity card's filter).
 *
 * @public
 */
export function isCheAvailable(entity: Entity): boolean {
  return entityDevfileSource(entity) !== undefined;
}
