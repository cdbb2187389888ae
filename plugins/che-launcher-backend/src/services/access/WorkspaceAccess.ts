import {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { Caller } from '@fawkes/plugin-api-guard-node';
import { normalizeEntityRef } from '../../model/names';
import { WorkspaceResource, workspaceResourceRef } from './permissionRules';

export const WORKSPACE_NOT_FOUND = 'Workspace not found';

/**
 * Decides who reaches which workspace. Users reach their own workspaces only (unless
 * `cheLauncher.access.ownerOnly` is false); the permission policy decides on top of that and can
 * narrow it (or, with ownerOnly off, widen it through conditions). A workspace a caller may not
 * read is reported as not found, so nothing leaks about other users' workspaces.
 */
export class WorkspaceAccess {
  private readonly conditionAuthorizer: ReturnType<typeof createConditionAuthorizer<WorkspaceResource, unknown>>;

  constructor(
    private readonly permissions: PermissionsService,
    permissionsRegistry: PermissionsRegistryService,
    private readonly ownerOnly: boolean,
  ) {
    this.conditionAuthorizer = createConditionAuthorizer(
      permissionsRegistry.getPermissionRuleset(workspaceResourceRef),
    );
  }

  async assertAllowed(permission: BasicPermission, credentials: BackstageCredentials): Promise<void> {
    const [decision] = await this.permissions.authorize([{ permission }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('Permission denied');
    }
  }

  /**
   * A filter for the workspaces the caller may see with `permission`; throws 403 when the
   * policy denies the permission outright.
   */
  async filterFor(
    caller: Caller,
    permission: ResourcePermission,
  ): Promise<(resource: WorkspaceResource) => boolean> {
    const [decision] = await this.permissions.authorizeConditional([{ permission }], {
      credentials: caller.credentials,
    });
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError('Permission denied');
    }
    const ownerGate = (resource: WorkspaceResource) =>
      !this.ownerOnly ||
      caller.kind === 'service' ||
      normalizeEntityRef(resource.owner) === normalizeEntityRef(caller.id);
    return resource => ownerGate(resource) && this.conditionAuthorizer(decision, resource);
  }

  /**
   * Throws 404 unless the caller may read the workspace, then 403 unless it may also perform
   * `permission` (when that is not the read permission itself).
   */
  async assertWorkspaceAccess(
    caller: Caller,
    resource: WorkspaceResource,
    readPermission: ResourcePermission,
    permission?: ResourcePermission,
  ): Promise<void> {
    const canRead = await this.filterFor(caller, readPermission).catch(error => {
      if (error instanceof NotAllowedError) return () => false;
      throw error;
    });
    if (!canRead(resource)) {
      throw new NotFoundError(WORKSPACE_NOT_FOUND);
    }
    if (permission && permission.name !== readPermission.name) {
      const canAct = await this.filterFor(caller, permission);
      if (!canAct(resource)) {
        throw new NotAllowedError('Permission denied');
      }
    }
  }
}
