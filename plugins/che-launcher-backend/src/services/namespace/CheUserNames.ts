import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Where a Backstage user's Che username comes from (`cheLauncher.userName`). */
export type CheUserNameSource = { from: 'entityName' } | { from: 'annotation'; annotation: string };

const CACHE_TTL_MS = 60_000;

/** The Che username of a Backstage user: the entity's name, or an annotation of its User entity. */
export class CheUserNames {
  private readonly cache = new Map<string, { value: string; expires: number }>();

  constructor(
    private readonly source: CheUserNameSource,
    private readonly deps: { catalog: CatalogService; auth: AuthService },
  ) {}

  get fromEntityName(): boolean {
    return this.source.from === 'entityName';
  }

  async of(userEntityRef: string): Promise<string> {
    if (this.source.from === 'entityName') return parseEntityRef(userEntityRef).name;
    const key = userEntityRef.toLocaleLowerCase('en-US');
    const cached = this.cache.get(key);
    if (cached && cached.expires > Date.now()) return cached.value;
    const entity = await this.deps.catalog.getEntityByRef(userEntityRef, {
      credentials: await this.deps.auth.getOwnServiceCredentials(),
    });
    const value = entity?.metadata.annotations?.[this.source.annotation];
    if (!value) {
      throw new NotAllowedError(
        `Your user entity has no Che username (annotation '${this.source.annotation}'); ask an administrator`,
      );
    }
    this.cache.set(key, { value, expires: Date.now() + CACHE_TTL_MS });
    return value;
  }
}
