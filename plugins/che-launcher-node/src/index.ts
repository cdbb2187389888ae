/**
 * Extension points of the Fawkes che-launcher backend plugin, for backend modules.
 *
 * @packageDocumentation
 */
export { cheLauncherClusterExtensionPoint } from './extensions';
export type { CheLauncherClusterExtensionPoint, FallbackCheCluster } from './extensions';
