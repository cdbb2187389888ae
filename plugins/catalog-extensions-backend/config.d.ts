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
  };
}
