/**
 * Types and a typed client for the Fawkes devlake Backstage plugin.
 *
 * @packageDocumentation
 */
export * from './types';
export { DevLakeClient } from './DevLakeClient';
export type { DevLakeDiscoveryApi, DevLakeFetchApi } from './DevLakeClient';
