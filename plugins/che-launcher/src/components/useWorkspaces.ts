import { useApi } from '@backstage/frontend-plugin-api';
import { cheLauncherApiRef } from '../api/CheLauncherApi';
import { usePolling } from './usePolling';
import { isChanging, shownStatus, WorkspaceView } from './workspaceStatus';

/** The signed-in user's workspaces, refreshed by themselves while any is changing state. */
export function useWorkspaces(options: { minDelayMs?: number; maxDelayMs?: number } = {}) {
  const api = useApi(cheLauncherApiRef);
  return usePolling<WorkspaceView[]>({
    load: async () => (await api.listWorkspaces()).workspaces as WorkspaceView[],
    isChanging: workspaces => workspaces.some(w => isChanging(shownStatus(w))),
    ...options,
  });
}
