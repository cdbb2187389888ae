import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the Fawkes catalog-extensions plugin (`/api/catalog-extensions`). */
  catalogExtensions?: {
    /**
     * Directories under which `file` locations may be registered. Relative entries are
     * resolved against the backend's working directory; symlinks and `..` are resolved
     * before the check. Empty or absent: `file` locations are refused.
     */
    allowedFileRoots?: string[];
    /**
     * Largest catalog-info.yaml the plugin reads, in bytes. Larger targets are refused
     * with 400. Default 1048576 (1 MiB).
     */
    maxDocumentSize?: number;
    /**
     * Most YAML documents one target may hold. Default 500.
     */
    maxDocuments?: number;
    /**
     * How long reading a target may take ('10s', 'PT10S' or { seconds: 10 }). Default 10 seconds.
     */
    readTimeout?: HumanDuration | string;
    /**
     * How long reading a target may take, in milliseconds.
     * @deprecated use `readTimeout`, which takes a duration; read only when `readTimeout` is absent.
     */
    readTimeoutMs?: number;
    /**
     * Kinds the plugin accepts without spec validation, for catalogs that install
     * processors for their own kinds (e.g. `Template`). The catalog's `catalog.rules`
     * still apply.
     */
    additionalKinds?: string[];
    /**
     * Kinds a registered target (and every Location nested in it) may hold; anything else is
     * refused with 400, dry runs included. Default: Component, API, System, Resource, Domain.
     * User and Group belong in the configured org locations (per-location `catalog.rules`);
     * add Location here to let registered files point to further targets, which are then
     * read and checked with the same rules as the registered target.
     */
    allowedKinds?: string[];
    /**
     * How deep Location entities may nest below a registered target when Location is an
     * allowed kind (1: a registered file may not hold Location entities at all). Default 3.
     */
    maxLocationDepth?: number;
    /** Most targets read for one registration, nested ones included. Default 20. */
    maxLocationTargets?: number;
    /**
     * Longest one call to the core catalog may take ('20s', { seconds: 20 }); slower answers
     * are a 504 (the catalog finishes the call in the background). Default 20 seconds.
     */
    catalogTimeout?: HumanDuration | string;
    /** Registrations and dry runs in progress at once (per backend process). */
    registrations?: {
      /** Across all callers; past it 503 with Retry-After. Default 2. */
      maxConcurrent?: number;
      /** Per caller; past it 429 with Retry-After. Default 1. */
      maxConcurrentPerCaller?: number;
    };
  };
}
