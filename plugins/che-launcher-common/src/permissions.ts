import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of che-launcher workspaces in permission policies and conditions.
 *
 * @public
 */
export const RESOURCE_TYPE_CHE_LAUNCHER_WORKSPACE = 'che-launcher-workspace';

/**
 * Create a workspace (not resource-bound: the workspace does not exist yet).
 *
 * @public
 */
export const cheLauncherWorkspaceCreatePermission = createPermission({
  name: 'che-launcher.workspace.create',
  attributes: { action: 'create' },
});

/**
 * Read (get and list) a workspace.
 *
 * @public
 */
export const cheLauncherWorkspaceReadPermission = createPermission({
  name: 'che-launcher.workspace.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CHE_LAUNCHER_WORKSPACE,
});

/**
 * Start or stop a workspace.
 *
 * @public
 */
export const cheLauncherWorkspaceUpdatePermission = createPermission({
  name: 'che-launcher.workspace.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CHE_LAUNCHER_WORKSPACE,
});

/**
 * Delete a workspace.
 *
 * @public
 */
export const cheLauncherWorkspaceDeletePermission = createPermission({
  name: 'che-launcher.workspace.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CHE_LAUNCHER_WORKSPACE,
});

/**
 * Every permission of the plugin.
 *
 * @public
 */
export const cheLauncherPermissions = [
  cheLauncherWorkspaceCreatePermission,
  cheLauncherWorkspaceReadPermission,
  cheLauncherWorkspaceUpdatePermission,
  cheLauncherWorkspaceDeletePermission,
];
