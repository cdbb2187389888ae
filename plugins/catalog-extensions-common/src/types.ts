import type { Entity } from '@backstage/catalog-model';

/**
 * Where a catalog-info.yaml lives: a URL the backend may read, or a file under an allowed root.
 *
 * @public
 */
export type LocationType = 'url' | 'file';

/**
 * Body of `POST /locations`.
 *
 * @public
 */
export interface RegisterLocationRequest {
  type: LocationType;
  /** An http(s) URL for `url`, a path for `file`. */
  target: string;
}

/**
 * 201 answer of `POST /locations`.
 *
 * @public
 */
export interface RegisterLocationResponse {
  /** The core catalog's location id. */
  locationId: string;
  type: LocationType;
  /** The registered target; for `file`, the resolved absolute path. */
  target: string;
  status: 'processing';
}

/**
 * 200 answer of `POST /locations?dryRun=true`: nothing was registered.
 *
 * @public
 */
export interface DryRunLocationResponse {
  dryRun: true;
  type: LocationType;
  target: string;
  /** Whether the catalog already has this location. */
  exists: boolean;
  /** The entities the catalog would produce from the target. */
  entities: Entity[];
}

/**
 * Processing state of a registered location, see the README for the rule.
 *
 * @public
 */
export type LocationStatus = 'processing' | 'registered' | 'failed';

/**
 * One catalog processing error, on the location itself or on an entity it produced.
 *
 * @public
 */
export interface LocationProcessingError {
  /** The entity that carries the error, or absent when the target itself is broken. */
  entityRef?: string;
  message: string;
}

/**
 * Answer of `GET /locations/{locationId}`.
 *
 * @public
 */
export interface LocationStatusResponse {
  locationId: string;
  type: LocationType | string;
  target: string;
  status: LocationStatus;
  /** Entities whose `backstage.io/managed-by-location` is this location. */
  entityRefs: string[];
  errors: LocationProcessingError[];
}

/**
 * One problem in a rejected request, e.g. a broken document in catalog-info.yaml.
 *
 * @public
 */
export interface ErrorDetail {
  /** Index of the YAML document in the file, when the problem is inside one. */
  document?: number;
  /** Field path such as `metadata.name`. */
  path: string;
  message: string;
}

/**
 * Every error answer of the plugin.
 *
 * @public
 */
export interface ErrorResponse {
  error: string;
  details?: ErrorDetail[];
}

/**
 * Query of `GET /entities`.
 *
 * @public
 */
export interface GetEntitiesRequest {
  /**
   * Filters with the core catalog's semantics: within one string, comma-separated
   * `key=value` statements are AND'ed (a repeated key is OR'ed), a bare `key` means
   * "exists"; several strings are OR'ed. Matching is case-insensitive.
   */
  filter?: string | string[];
  /** Dot paths to include, e.g. `['kind', 'metadata.name']`. */
  fields?: string[];
}
