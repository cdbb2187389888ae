import { Workspace, WorkspaceStatus } from '@fawkes/plugin-che-launcher-common';
import {
  ANNOTATION_DEVFILE_NAME,
  ANNOTATION_DEVFILE_VERSION,
  ANNOTATION_ENTITY_REF,
  ANNOTATION_LAST_UPDATED,
  ANNOTATION_OWNER,
} from './constants';
import { toWorkspaceId } from './names';
import { DevWorkspace } from './types';

/**
 * DevWorkspace phase → the status Che shows.
 * - Starting, Running, Stopping, Stopped, Failing and Failed map to themselves (a failed start
 *   never reads Stopped); Error (e.g. storage clean-up failed on deletion) → Failed, so it stays
 *   visible; Terminating (deleted, waiting for finalizers) → Stopping.
 * - No phase yet (or an unknown one) → from `spec.started`, as the Che dashboard shows it.
 * - A phase the controller has not yet updated after a start or stop request follows the
 *   request: Starting/Running with `started: false` → Stopping; Stopped/Stopping/Failed with
 *   `started: true` → Starting.
 */
export function toWorkspaceStatus(devWorkspace: Pick<DevWorkspace, 'spec' | 'status'>): WorkspaceStatus {
  const started = devWorkspace.spec?.started === true;
  switch (devWorkspace.status?.phase) {
    case 'Running':
      return started ? 'Running' : 'Stopping';
    case 'Starting':
      return started ? 'Starting' : 'Stopping';
    case 'Stopped':
    case 'Stopping':
      return started ? 'Starting' : (devWorkspace.status.phase as WorkspaceStatus);
    case 'Failing':
      return 'Failing';
    case 'Failed':
      return started ? 'Starting' : 'Failed';
    case 'Error':
      return 'Failed';
    case 'Terminating':
      return 'Stopping';
    default:
      return started ? 'Starting' : 'Stopped';
  }
}

/** Counts towards the running limit as Che's dashboard does (Starting or Running). */
export function isActive(devWorkspace: DevWorkspace): boolean {
  const status = toWorkspaceStatus(devWorkspace);
  return status === 'Running' || status === 'Starting';
}

/** `status.mainUrl` once running; else the Che dashboard's IDE loader for the workspace. */
export function ideUrlOf(devWorkspace: DevWorkspace, cheUrl: string | undefined): string | null {
  const mainUrl = devWorkspace.status?.mainUrl;
  if (toWorkspaceStatus(devWorkspace) === 'Running' && mainUrl) {
    return mainUrl;
  }
  if (!cheUrl) return null;
  const { namespace, name } = devWorkspace.metadata;
  return `${cheUrl}/dashboard/#/ide/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

export function ownerOf(devWorkspace: DevWorkspace): string | undefined {
  return devWorkspace.metadata.annotations?.[ANNOTATION_OWNER];
}

export function toWorkspace(devWorkspace: DevWorkspace, cheUrl: string | undefined): Workspace {
  const { namespace, name, annotations = {}, creationTimestamp } = devWorkspace.metadata;
  const createdAt = creationTimestamp ?? new Date(0).toISOString();
  return {
    workspaceId: toWorkspaceId(namespace, name),
    name,
    status: toWorkspaceStatus(devWorkspace),
    ideUrl: ideUrlOf(devWorkspace, cheUrl),
    devfile: {
      name: annotations[ANNOTATION_DEVFILE_NAME] ?? null,
      version: annotations[ANNOTATION_DEVFILE_VERSION] ?? null,
    },
    createdAt,
    lastUsed: annotations[ANNOTATION_LAST_UPDATED] ?? createdAt,
    phase: devWorkspace.status?.phase ?? null,
    statusMessage: typeof devWorkspace.status?.message === 'string' ? devWorkspace.status.message : null,
    namespace,
    owner: ownerOf(devWorkspace) ?? '',
    ...(annotations[ANNOTATION_ENTITY_REF] ? { entityRef: annotations[ANNOTATION_ENTITY_REF] } : {}),
  };
}
