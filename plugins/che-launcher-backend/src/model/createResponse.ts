import { CreateWorkspaceResponse } from '@fawkes/plugin-che-launcher-common';
import { toWorkspace } from './toWorkspace';
import { DevWorkspace } from './types';

/** `POST /workspaces`' answer for a DevWorkspace. */
export function toCreateResponse(devWorkspace: DevWorkspace, cheUrl: string | undefined): CreateWorkspaceResponse {
  const { workspaceId, name, status, ideUrl, devfile } = toWorkspace(devWorkspace, cheUrl);
  return { workspaceId, name, status, ideUrl, devfile };
}
