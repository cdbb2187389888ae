import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  CreateWorkspaceRequest,
  CreateWorkspaceResponse,
  ListDevfilesResponse,
  ListWorkspacesResponse,
  Workspace,
} from '@fawkes/plugin-che-launcher-common';
import { CheLauncherClient } from '@fawkes/plugin-che-launcher-common';

/**
 * What the che-launcher frontend asks the che-launcher backend (the `-common` client's calls).
 *
 * @public
 */
export type CheLauncherApi = Pick<
  CheLauncherClient,
  | 'createWorkspace'
  | 'listWorkspaces'
  | 'getWorkspace'
  | 'startWorkspace'
  | 'stopWorkspace'
  | 'deleteWorkspace'
  | 'listDevfiles'
>;

/**
 * The che-launcher backend's API, for the frontend (implemented by `CheLauncherClient`).
 *
 * @public
 */
export const cheLauncherApiRef = createApiRef<CheLauncherApi>({ id: 'plugin.che-launcher.service' });

export type { CreateWorkspaceRequest, CreateWorkspaceResponse, ListDevfilesResponse, ListWorkspacesResponse, Workspace };
