/**
 * The che-launcher backend plugin: Eclipse Che workspaces from a Devfile URL, managed as
 * `workspace.devfile.io/v1alpha2` DevWorkspace resources.
 *
 * @packageDocumentation
 */
export { cheLauncherPlugin as default } from './plugin';
export { workspaceResourceRef, isWorkspaceOwner, isWorkspaceInNamespace } from './services/access/permissionRules';
export type { WorkspaceResource } from './services/access/permissionRules';
