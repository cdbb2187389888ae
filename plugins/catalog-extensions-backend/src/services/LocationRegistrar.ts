import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, isError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import path from 'node:path';
import {
  DryRunLocationResponse,
  RegisterLocationRequest,
  RegisterLocationResponse,
} from '@fawkes/plugin-catalog-extensions-common';
import { CatalogService, locationSpecToMetadataName } from '@backstage/plugin-catalog-node';
import { callCatalog } from './catalogErrors';
import { EntityDocumentValidator } from './EntityDocumentValidator';
import { ReadTarget, TargetReader } from './TargetReader';

/**
 * Registers a location in the core catalog only after its target was read and every entity in
 * it validated, acting as the caller so the catalog's permissions apply.
 */
export class LocationRegistrar {
  constructor(
    private readonly reader: TargetReader,
    private readonly validator: EntityDocumentValidator,
    private readonly catalog: CatalogService,
    private readonly integrations: ScmIntegrationRegistry,
    private readonly limits: {
      maxLocationDepth: number;
      maxLocationTargets: number;
      catalogTimeoutMs: number;
    },
  ) {}

  async register(
    request: RegisterLocationRequest,
    credentials: BackstageCredentials,
  ): Promise<RegisterLocationResponse> {
    const { type, target } = await this.readAndValidate(request);
    const { location } = await callCatalog(
      {
        action: 'register catalog locations',
        locationRef: `${type}:${target}`,
        timeoutMs: this.limits.catalogTimeoutMs,
      },
      () => this.catalog.addLocation({ type, target }, { credentials }),
    );
    return { locationId: location.id, type, target, status: 'processing' };
  }

  async dryRun(
    request: RegisterLocationRequest,
    credentials: BackstageCredentials,
  ): Promise<DryRunLocationResponse> {
    const { type, target } = await this.readAndValidate(request);
    const result = await callCatalog(
      {
        action: 'register catalog locations',
        locationRef: `${type}:${target}`,
        timeoutMs: this.limits.catalogTimeoutMs,
      },
      () => this.catalog.addLocation({ type, target, dryRun: true }, { credentials }),
    );
    // The catalog's dry run includes the Location entity it generates for the target itself.
    const generated = locationSpecToMetadataName({ type, target });
    const entities = result.entities.filter(
      (e: Entity) => !(e.kind === 'Location' && e.metadata.name === generated),
    );
    return { dryRun: true, type, target, exists: Boolean(result.exists), entities };
  }

  /**
   * Reads and validates the target, and every target its Location entities point to, with
   * the same rules; the canonical target is what gets registered.
   */
  async readAndValidate(request: RegisterLocationRequest) {
    const read = await this.reader.read(request.type, request.target);
    const entities = await this.validator.validate(read.content, read);
    await this.checkNestedLocations(read, entities);
    return { type: read.type, target: read.target, entities };
  }

  /**
   * The core catalog follows Location entities (globs included) with its own readers, which
   * know nothing of the allowed file roots: so each nested target is read here first, level
   * by level, through the same reader and validator, within the depth and count caps.
   */
  private async checkNestedLocations(root: ReadTarget, rootEntities: Entity[]): Promise<void> {
    const { maxLocationDepth, maxLocationTargets } = this.limits;
    const seen = new Set([`${root.type}:${root.target}`]);
    let level = [{ base: root, entities: rootEntities }];
    for (let depth = 1; level.length; depth++) {
      const next: typeof level = [];
      for (const { base, entities } of level) {
        for (const entity of entities) {
          if (entity.kind.toLocaleLowerCase('en-US') !== 'location') continue;
          const ref = stringifyEntityRef(entity);
          if (depth + 1 > maxLocationDepth) {
            throw new InputError(
              `Invalid catalog-info.yaml: ${ref} nests locations deeper than catalogExtensions.maxLocationDepth (${maxLocationDepth})`,
            );
          }
          const spec = (entity.spec ?? {}) as { type?: unknown; target?: unknown; targets?: unknown };
          const type = spec.type ?? base.type;
          if (type !== 'url' && type !== 'file') {
            throw new InputError(`Invalid catalog-info.yaml: ${ref} has location type '${String(type)}'; only url and file are allowed`);
          }
          const targets = [spec.target, ...(Array.isArray(spec.targets) ? spec.targets : [])].filter(
            (t): t is string => typeof t === 'string' && t.length > 0,
          );
          for (const target of targets) {
            const resolved = this.resolveTarget(base, type, target);
            if (seen.has(`${type}:${resolved}`)) continue;
            seen.add(`${type}:${resolved}`);
            if (seen.size > maxLocationTargets) {
              throw new InputError(
                `Invalid catalog-info.yaml: the location points to more than catalogExtensions.maxLocationTargets (${maxLocationTargets}) targets`,
              );
            }
            try {
              const read = await this.reader.read(type, resolved);
              next.push({ base: read, entities: await this.validator.validate(read.content, read) });
            } catch (error) {
              if (isError(error)) error.message = `Invalid target of ${ref}: ${error.message}`;
              throw error;
            }
          }
        }
      }
      level = next;
    }
  }

  /** A nested target as the core catalog resolves it: relative to its location, if the same type. */
  private resolveTarget(base: ReadTarget, type: 'url' | 'file', target: string): string {
    if (base.type !== type) return target;
    if (type === 'file') {
      return target.startsWith('.') ? path.join(path.dirname(base.target), target) : target;
    }
    try {
      return this.integrations.resolveUrl({ url: target, base: base.target });
    } catch {
      return target;
    }
  }
}
