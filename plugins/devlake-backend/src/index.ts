/**
 * DORA metrics and deployment history from Apache DevLake's database.
 *
 * @packageDocumentation
 */
export { devlakePlugin as default } from './plugin';
export { DEVLAKE_PROJECT_ANNOTATION } from './services/ProjectResolver';
/**
 * @deprecated Import it from `@fawkes/plugin-devlake-node`, the package for backend modules.
 */
export { devlakeDatabaseExtensionPoint } from '@fawkes/plugin-devlake-node';
export type { DevLakeDatabaseExtensionPoint, FallbackDevLakeDatabase } from '@fawkes/plugin-devlake-node';
