import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GatewayTimeoutError } from '@fawkes/plugin-api-guard-node';
import { DevfileTemplates } from './DevfileTemplates';

export const CHE_ENABLED_ANNOTATION = 'eclipse.org/che-enabled';
export const CHE_DEVFILE_ANNOTATION = 'eclipse.org/che-devfile';
export const CHE_DEVFILE_URL_ANNOTATION = 'eclipse.org/che-devfile-url';

/** Where `POST /workspaces` takes the devfile from: exactly one of the three. */
export type DevfileSource = { devfileUrl: string } | { template: string } | { entityRef: string };

/** The devfile URL a source names, and the catalog entity when it came from one. */
export interface ResolvedDevfileSource {
  devfileUrl: string;
  /** The entity's normalized ref, when the source was `entityRef`. */
  entityRef?: string;
}

/**
 * Turns `template` (a `cheLauncher.devfiles` name) and `entityRef` (an entity whose
 * `eclipse.org/che-devfile-url` or `eclipse.org/che-devfile` annotation names the devfile, read
 * through the catalog with the caller's credentials) into the devfile URL to read.
 */
export class DevfileSourceResolver {
  constructor(
    private readonly deps: { templates: DevfileTemplates; catalog: CatalogService; catalogTimeoutMs: number },
  ) {}

  async resolve(source: DevfileSource, credentials: BackstageCredentials): Promise<ResolvedDevfileSource> {
    if ('devfileUrl' in source) return { devfileUrl: source.devfileUrl };
    if ('template' in source) return { devfileUrl: this.templateUrl(source.template, 'template') };

    let ref: CompoundEntityRef;
    try {
      ref = parseEntityRef(source.entityRef, { defaultKind: 'component', defaultNamespace: 'default' });
    } catch {
      throw new InputError(`Invalid entityRef: '${source.entityRef}' is not an entity ref such as component:default/my-service`);
    }
    const entityRef = stringifyEntityRef(ref);
    const entity = await this.readEntity(ref, credentials);
    if (!entity) {
      throw new InputError(`Invalid entityRef: the catalog has no entity '${entityRef}' you may read`);
    }
    const annotations = entity.metadata.annotations ?? {};
    if (annotations[CHE_ENABLED_ANNOTATION]?.trim().toLocaleLowerCase('en-US') !== 'true') {
      throw new InputError(`Invalid entityRef: '${entityRef}' does not have ${CHE_ENABLED_ANNOTATION}: "true"`);
    }
    const devfileUrl = annotations[CHE_DEVFILE_URL_ANNOTATION]?.trim();
    if (devfileUrl) return { devfileUrl, entityRef };
    const template = annotations[CHE_DEVFILE_ANNOTATION]?.trim();
    if (template) return { devfileUrl: this.templateUrl(template, `${entityRef}'s ${CHE_DEVFILE_ANNOTATION}`), entityRef };
    throw new InputError(
      `Invalid entityRef: '${entityRef}' names no devfile (${CHE_DEVFILE_ANNOTATION} or ${CHE_DEVFILE_URL_ANNOTATION})`,
    );
  }

  private templateUrl(name: string, what: string): string {
    const template = this.deps.templates.get(name);
    if (!template) {
      throw new InputError(
        `Invalid ${what}: no devfile template '${name}' is configured (GET /devfiles lists them)`,
      );
    }
    return template.url;
  }

  private async readEntity(ref: CompoundEntityRef, credentials: BackstageCredentials): Promise<Entity | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new GatewayTimeoutError('The catalog did not answer in time')),
        this.deps.catalogTimeoutMs,
      );
    });
    try {
      return await Promise.race([this.deps.catalog.getEntityByRef(ref, { credentials }), timeout]);
    } catch (error) {
      if (error instanceof GatewayTimeoutError) throw error;
      if (isRefusal(error)) return undefined;
      throw new ServiceUnavailableError('Catalog is unavailable', error as Error);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The catalog answered, refusing the ref or the caller (no such entity for this caller). */
function isRefusal(error: unknown): boolean {
  const e = error as { name?: string; response?: { status?: number }; statusCode?: number };
  if (e?.name === 'NotAllowedError' || e?.name === 'InputError' || e?.name === 'NotFoundError') return true;
  const status = e?.response?.status ?? e?.statusCode;
  return status === 400 || status === 403 || status === 404 || status === 422;
}
