import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ENTITY_STATUS_CATALOG_PROCESSING_TYPE } from '@backstage/catalog-client';
import { ANNOTATION_LOCATION, Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, isError, NotFoundError } from '@backstage/errors';
import { CatalogService, locationSpecToMetadataName } from '@backstage/plugin-catalog-node';
import {
  LocationProcessingError,
  LocationStatusResponse,
  RegisterLocationRequest,
} from '@fawkes/plugin-catalog-extensions-common';
import { callCatalog } from './catalogErrors';

/** The `status` part of a stitched entity (typed only in catalog-model's alpha export). */
type EntityWithStatus = Entity & {
  status?: { items?: Array<{ type: string; level: string; message: string }> };
};

const TARGET_FAILURES = new Set([
  'InputError',
  'ValidationError',
  'PayloadTooLargeError',
  'BadGatewayError',
  'GatewayTimeoutError',
]);

const STATUS_FIELDS = ['kind', 'metadata.namespace', 'metadata.name', 'status'];

// The catalog's location ids are UUIDs; anything else cannot exist.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reports what the catalog made of a registered location. The rule:
 * - `failed`: the location entity or an entity it produced carries catalog processing errors,
 *   or the location is not visible yet and its target no longer reads and validates;
 * - `registered`: at least one entity from the target is in the catalog and none has errors;
 * - `processing`: otherwise (the catalog has not processed the target yet).
 */
export class LocationStatusReader {
  constructor(
    private readonly catalog: CatalogService,
    /** Re-checks the target; throws the same 400 a registration would get. */
    private readonly recheck: (request: RegisterLocationRequest) => Promise<unknown>,
    private readonly catalogTimeoutMs: number,
  ) {}

  async get(locationId: string, credentials: BackstageCredentials): Promise<LocationStatusResponse> {
    if (!UUID.test(locationId)) throw new InputError('Invalid locationId: expected the UUID returned at registration');
    const location = await callCatalog({ action: 'read catalog locations', timeoutMs: this.catalogTimeoutMs }, () =>
      this.catalog.getLocationById(locationId, { credentials }),
    );
    if (!location) throw new NotFoundError('Location not found');

    const locationRef = `${location.type}:${location.target}`;
    const generatedName = locationSpecToMetadataName({ type: location.type, target: location.target });
    let locationEntity: Entity | undefined;
    const produced: Entity[] = [];
    await callCatalog({ action: 'read catalog entities', timeoutMs: this.catalogTimeoutMs }, async () => {
      for await (const page of this.catalog.streamEntities(
        { filter: { [`metadata.annotations.${ANNOTATION_LOCATION}`]: locationRef }, fields: STATUS_FIELDS },
        { credentials },
      )) {
        for (const entity of page) {
          if (entity.kind.toLocaleLowerCase('en-US') === 'location' && entity.metadata.name === generatedName) {
            locationEntity = entity;
          } else {
            produced.push(entity);
          }
        }
      }
    });

    const errors: LocationProcessingError[] = [locationEntity, ...produced]
      .filter((e): e is Entity => Boolean(e))
      .flatMap(entity =>
        ((entity as EntityWithStatus).status?.items ?? [])
          .filter(item => item.type === ENTITY_STATUS_CATALOG_PROCESSING_TYPE && item.level === 'error')
          .map(item => ({
            entityRef: stringifyEntityRef(entity),
            message: publicProcessingMessage(item.message, location.type),
          })),
      );

    if (!locationEntity && !produced.length && !errors.length && ['url', 'file'].includes(location.type)) {
      // The catalog shows a location entity only once its first processing succeeded, so a
      // target that broke after registration would otherwise look "processing" forever.
      try {
        await this.recheck({ type: location.type as 'url' | 'file', target: location.target });
      } catch (error) {
        // What a registration would answer 400/413/502/504 for is this location's failure.
        if (!isError(error) || !TARGET_FAILURES.has(error.name)) throw error;
        errors.push({ message: error.message });
      }
    }

    let status: LocationStatusResponse['status'] = 'processing';
    if (errors.length) status = 'failed';
    else if (produced.length) status = 'registered';
    return {
      locationId: location.id,
      type: location.type,
      target: location.target,
      status,
      entityRefs: produced.map(e => stringifyEntityRef(e)).sort(),
      errors,
    };
  }
}

/**
 * The catalog's processing errors about files quote local paths and what the files hold
 * (`YAML error at file:/etc/..., Expected object at root, got string`): for those only the
 * kind of problem is passed on; the catalog's own log keeps the full text.
 */
export function publicProcessingMessage(message: string, locationType: string): string {
  if (locationType !== 'file' && !/\bfile:/i.test(message)) return message;
  if (/must (have|NOT|be|match)|Malformed envelope|Policy check failed|not a valid/i.test(message)) {
    return 'An entity in a file target does not pass the catalog\'s validation';
  }
  if (/YAML|parse|Expected object|JSON/i.test(message)) {
    return 'A file target is not a valid catalog-info.yaml';
  }
  if (/not allowed|Registered locations must be/i.test(message)) {
    return 'A file target is not allowed';
  }
  return 'A file target could not be read or processed';
}
