/**
 * Extension points of the Fawkes devlake backend plugin, for backend modules.
 *
 * @packageDocumentation
 */
export { devlakeDatabaseExtensionPoint } from './extensions';
export type { DevLakeDatabaseExtensionPoint, FallbackDevLakeDatabase } from './extensions';
