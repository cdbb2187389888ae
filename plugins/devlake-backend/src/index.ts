/**
 * DORA metrics and deployment history from Apache DevLake's database.
 *
 * @packageDocumentation
 */
export { devlakePlugin as default } from './plugin';
export { DEVLAKE_PROJECT_ANNOTATION } from './services/ProjectResolver';
export { devlakeDatabaseExtensionPoint } from './extensions';
export type { DevLakeDatabaseExtensionPoint, FallbackDevLakeDatabase } from './extensions';
