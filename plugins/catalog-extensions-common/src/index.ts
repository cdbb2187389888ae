/**
 * Types and a typed HTTP client for the Fawkes catalog-extensions plugin
 * (`/api/catalog-extensions`).
 *
 * @packageDocumentation
 */
export * from './types';
export { CatalogExtensionsClient, readErrorResponse } from './CatalogExtensionsClient';
export type { DiscoveryApi, FetchApi } from './CatalogExtensionsClient';
