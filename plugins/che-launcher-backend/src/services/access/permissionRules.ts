import { RESOURCE_TYPE_CHE_LAUNCHER_WORKSPACE } from '@fawkes/plugin-che-launcher-common';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod/v3';
import { normalizeEntityRef } from '../../model/names';

/**
 * What permission rules see of a workspace.
 *
 * @public
 */
export interface WorkspaceResource {
  workspaceId: string;
  namespace: string;
  name: string;
  /** The owner's user entity ref. */
  owner: string;
}

/** Conditions are applied in memory (workspaces live in the cluster, not a database). */
export type WorkspaceQuery = { owners?: string[]; namespaces?: string[] };

/** @public */
export const workspaceResourceRef = createPermissionResourceRef<
  WorkspaceResource,
  WorkspaceQuery
>().with({
  pluginId: 'che-launcher',
  resourceType: RESOURCE_TYPE_CHE_LAUNCHER_WORKSPACE,
});

/**
 * Allows workspaces owned by one of `claims` (user entity refs; a policy passes the user's
 * `ownershipEntityRefs` or just the user's own ref).
 *
 * @public
 */
export const isWorkspaceOwner = createPermissionRule<typeof workspaceResourceRef, { claims: string[] }>({
  name: 'IS_WORKSPACE_OWNER',
  description: 'Allow workspaces owned by one of the given user entity refs',
  resourceRef: workspaceResourceRef,
  // Cast: permission-node's zod copy and ours differ in type identity (TS2589 otherwise).
  paramsSchema: z.object({
    claims: z.array(z.string()).describe('User entity refs, e.g. user:default/jane'),
  }) as any,
  apply: (resource, { claims }) =>
    claims.map(normalizeEntityRef).includes(normalizeEntityRef(resource.owner)),
  toQuery: ({ claims }) => ({ owners: claims }),
});

/**
 * Allows workspaces in one of the given namespaces (e.g. a team's shared namespace).
 *
 * @public
 */
export const isWorkspaceInNamespace = createPermissionRule<
  typeof workspaceResourceRef,
  { namespaces: string[] }
>({
  name: 'IS_WORKSPACE_IN_NAMESPACE',
  description: 'Allow workspaces in one of the given Kubernetes namespaces',
  resourceRef: workspaceResourceRef,
  paramsSchema: z.object({
    namespaces: z.array(z.string()).describe('Kubernetes namespaces'),
  }) as any,
  apply: (resource, { namespaces }) => namespaces.includes(resource.namespace),
  toQuery: ({ namespaces }) => ({ namespaces }),
});

export const workspacePermissionRules = [isWorkspaceOwner, isWorkspaceInNamespace];
