import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, Entity, parseEntityRef } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** The catalog annotation naming an entity's DevLake project. */
export const DEVLAKE_PROJECT_ANNOTATION = 'devlake.apache.org/project-name';

/**
 * Maps a `project` / `service` parameter to a DevLake project name. A plain name is looked
 * up as `component:default/<name>`, then `system:default/<name>`; a full entity ref
 * (`component:team-a/foo`) is looked up as given. The entity's
 * `devlake.apache.org/project-name` annotation wins; with no entity or no annotation the
 * parameter itself is the DevLake project name. Lookups use the caller's credentials.
 */
export class ProjectResolver {
  constructor(private readonly catalog: CatalogService) {}

  async resolve(name: string, credentials: BackstageCredentials): Promise<string> {
    const entity = await this.findEntity(name, credentials);
    const annotated = entity?.metadata.annotations?.[DEVLAKE_PROJECT_ANNOTATION]?.trim();
    return annotated || name;
  }

  private async findEntity(name: string, credentials: BackstageCredentials): Promise<Entity | undefined> {
    const candidates: CompoundEntityRef[] = [];
    if (name.includes(':') || name.includes('/')) {
      try {
        candidates.push(parseEntityRef(name, { defaultKind: 'component', defaultNamespace: 'default' }));
      } catch {
        return undefined; // not an entity ref: a DevLake project name with odd characters
      }
    } else {
      candidates.push(
        { kind: 'component', namespace: 'default', name },
        { kind: 'system', namespace: 'default', name },
      );
    }
    for (const ref of candidates) {
      let entity: Entity | undefined;
      try {
        entity = await this.catalog.getEntityByRef(ref, { credentials });
      } catch (error) {
        if ((error as Error)?.name === 'NotAllowedError') continue;
        throw new ServiceUnavailableError('Catalog is unavailable');
      }
      if (entity) return entity;
    }
    return undefined;
  }
}
