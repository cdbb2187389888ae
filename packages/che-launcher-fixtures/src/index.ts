/**
 * The che-launcher stand-in for local development and browser tests: an in-process Kubernetes
 * API test server with the DevWorkspace operator simulator, supplied to che-launcher through
 * `cheLauncherClusterExtensionPoint` when `cheLauncher.kubernetes` is not configured, and the
 * bundled golden-path devfiles served over https on loopback.
 *
 * @packageDocumentation
 */
export { cheLauncherModuleStandInCluster } from './standInModule';
export { startStandInCluster } from './standInCluster';
export type { StandInCluster, StandInClusterOptions } from './standInCluster';
export { seedCheNamespace, cheClusterResource, devWorkspaceOperatorConfigResource } from './cheResources';
export type { CheNamespaceSettings } from './cheResources';
export { BundledDevfileHost, bundledDevfiles } from './BundledDevfileHost';
