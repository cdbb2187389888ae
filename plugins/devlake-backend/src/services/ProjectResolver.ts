import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, Entity, parseEntityRef } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { describeCause, withCause } from './failureCauses';
import { ResultCache } from './ResultCache';

/**
 * The catalog annotation naming an entity's DevLake project.
 *
 * @public
 */
export const DEVLAKE_PROJECT_ANNOTATION = 'devlake.apache.org/project-name';

/**
 * Maps a `project` / `service` parameter to a DevLake project name. A plain name is looked
 * up as `component:default/<name>`, then `system:default/<name>`; a full entity ref
 * (`component:team-a/foo`) is looked up as given. The entity's
 * `devlake.apache.org/project-name` annotation wins; with no entity or no annotation the
 * parameter itself is the DevLake project name. Lookups use the caller's credentials.
 *
 * With a cache, each caller's answer is kept for the cache's TTL (`devlake.cache.catalogTtl`),
 * so a request answered from the result cache makes no catalog round trip either.
 */
export class ProjectResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly cache?: ResultCache,
  ) {}

  async resolve(name: string, credentials: BackstageCredentials): Promise<string> {
    if (!this.cache) return this.lookup(name, credentials);
    const key = ResultCache.key('project-resolution', { caller: callerKey(credentials), name });
    return this.cache.getOrCompute(key, () => this.lookup(name, credentials));
  }

  /**
   * `resolve` for many names at once, in order: the plain names not cached take two catalog
   * requests in all (`getEntitiesByRefs` for `component:default/<name>`, then
   * `system:default/<name>` for the rest) instead of one or two each. Refs, and every name of a
   * bulk request the catalog refuses, are resolved one by one as `resolve` does.
   */
  async resolveAll(names: string[], credentials: BackstageCredentials): Promise<string[]> {
    const caller = callerKey(credentials);
    const keyOf = (name: string) => ResultCache.key('project-resolution', { caller, name });
    const cached = await Promise.all(names.map(name => this.cache?.peek<string>(keyOf(name))));
    const plain = [...new Set(names.filter((name, i) => cached[i] === undefined && !/[:/]/.test(name)))];
    const found = new Map<string, string>();
    if (plain.length > 0) {
      try {
        for (const [name, project] of await this.lookupPlainNames(plain, credentials)) found.set(name, project);
        await Promise.all(plain.map(name => this.cache?.put(keyOf(name), found.get(name)!)));
      } catch {
        // One name the catalog refuses fails its bulk request: each name on its own then.
        found.clear();
      }
    }
    const out: string[] = [];
    for (let i = 0; i < names.length; i++) {
      out.push(cached[i] ?? found.get(names[i]) ?? (await this.resolve(names[i], credentials)));
    }
    return out;
  }

  private async lookupPlainNames(names: string[], credentials: BackstageCredentials): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let rest = names;
    for (const kind of ['component', 'system']) {
      if (rest.length === 0) break;
      const { items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: rest.map(name => `${kind}:default/${name}`), fields: ['metadata.annotations'] },
        { credentials },
      );
      const next: string[] = [];
      rest.forEach((name, i) => {
        const entity = items[i];
        if (entity) out.set(name, entity.metadata?.annotations?.[DEVLAKE_PROJECT_ANNOTATION]?.trim() || name);
        else next.push(name);
      });
      rest = next;
    }
    for (const name of rest) out.set(name, name);
    return out;
  }

  private async lookup(name: string, credentials: BackstageCredentials): Promise<string> {
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
        if (isRefusalOfTheName(error)) continue;
        throw withCause(new ServiceUnavailableError('Catalog is unavailable'), `catalog: ${describeCause(error)}`);
      }
      if (entity) return entity;
    }
    return undefined;
  }
}

/**
 * The catalog answered, but not with an entity: it refused the name itself (400/422, e.g. a
 * NUL byte or an emoji that no entity name can hold), or the caller may not read it (403).
 * No entity then has this name for the caller, so the name is DevLake's own; only an outage
 * (no answer, 5xx, 401/429 of the plugin's own request) is "Catalog is unavailable".
 */
function isRefusalOfTheName(error: unknown): boolean {
  const e = error as { name?: string; response?: { status?: number }; statusCode?: number };
  if (e?.name === 'NotAllowedError' || e?.name === 'InputError' || e?.name === 'NotFoundError') return true;
  const status = e?.response?.status ?? e?.statusCode;
  return status === 400 || status === 403 || status === 404 || status === 422;
}

/** Whose catalog view an answer reflects: the user, or the calling service. */
function callerKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as { type: string; userEntityRef?: string; subject?: string };
  if (principal.type === 'user') return `user:${principal.userEntityRef}`;
  if (principal.type === 'service') return `service:${principal.subject}`;
  return principal.type;
}
