/**
 * Types and a typed client for the Fawkes devlake Backstage plugin.
 *
 * @packageDocumentation
 */
export * from './types';
export { DORA_THRESHOLDS } from './thresholds';
export type { DeploymentDaysRule, DoraThresholds } from './thresholds';
export { DevLakeClient } from './DevLakeClient';
export type { DevLakeDiscoveryApi, DevLakeFetchApi } from './DevLakeClient';
