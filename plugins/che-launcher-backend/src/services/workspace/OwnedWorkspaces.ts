import { NotFoundError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { Caller } from '@fawkes/plugin-api-guard-node';
import { cheLauncherWorkspaceReadPermission } from '@fawkes/plugin-che-launcher-common';
import { LABEL_OWNER, MANAGED_SELECTOR } from '../../model/constants';
import { normalizeEntityRef, ownerLabelValue, parseWorkspaceId, toWorkspaceId } from '../../model/names';
import { ownerOf } from '../../model/toWorkspace';
import { DevWorkspace } from '../../model/types';
import { isBeingCreated, isGoneForCallers, isManaged } from '../../model/workspaceMarks';
import { WorkspaceAccess, WORKSPACE_NOT_FOUND } from '../access/WorkspaceAccess';
import { WorkspaceResource } from '../access/permissionRules';
import { DevWorkspaceClient } from '../kubernetes/DevWorkspaceClient';
import { UserNamespaces } from '../namespace/UserNamespaces';

/**
 * The DevWorkspaces that count as someone's workspace: managed, complete, not deleted, and in
 * their owner's own namespace or a shared one (`allowedNamespaces`). Owner marks elsewhere mean
 * nothing.
 */
export class OwnedWorkspaces {
  constructor(
    private readonly deps: { client: DevWorkspaceClient; namespaces: UserNamespaces; access: WorkspaceAccess },
  ) {}

  async filter(items: DevWorkspace[]): Promise<DevWorkspace[]> {
    const candidates = items.filter(
      item => isManaged(item) && !isGoneForCallers(item) && !isBeingCreated(item),
    );
    const verdicts = await Promise.all(
      candidates.map(item => this.deps.namespaces.isUsersNamespace(ownerOf(item)!, item.metadata.namespace)),
    );
    return candidates.filter((_, i) => verdicts[i]);
  }

  async list(selector: string): Promise<DevWorkspace[]> {
    return this.filter(await this.deps.client.list(selector));
  }

  /** One user's own workspaces (by the owner label, then the owner annotation itself). */
  async ofOwner(owner: string): Promise<DevWorkspace[]> {
    const items = await this.list(`${MANAGED_SELECTOR},${LABEL_OWNER}=${ownerLabelValue(owner)}`);
    return items.filter(item => normalizeEntityRef(ownerOf(item)!) === normalizeEntityRef(owner));
  }

  /** Resolves a workspace id the caller may act on, or throws 404/403. */
  async find(caller: Caller, workspaceId: string, permission: ResourcePermission): Promise<DevWorkspace> {
    const parsed = parseWorkspaceId(workspaceId);
    if (!parsed) {
      // The API document lists "Invalid workspace ID" under 404: nothing can be found by it.
      throw new NotFoundError(WORKSPACE_NOT_FOUND);
    }
    const devWorkspace = await this.deps.client.get(parsed.namespace, parsed.name);
    if (!devWorkspace || (await this.filter([devWorkspace])).length === 0) {
      throw new NotFoundError(WORKSPACE_NOT_FOUND);
    }
    await this.deps.access.assertWorkspaceAccess(
      caller,
      toResource(devWorkspace),
      cheLauncherWorkspaceReadPermission,
      permission,
    );
    return devWorkspace;
  }

  /** The permission framework's view of workspaces, by id (for apply-conditions requests). */
  async resources(workspaceIds: string[]): Promise<Array<WorkspaceResource | undefined>> {
    return Promise.all(
      workspaceIds.map(async workspaceId => {
        const parsed = parseWorkspaceId(workspaceId);
        if (!parsed) return undefined;
        const devWorkspace = await this.deps.client.get(parsed.namespace, parsed.name);
        const [own] = devWorkspace ? await this.filter([devWorkspace]) : [];
        return own ? toResource(own) : undefined;
      }),
    );
  }
}

export function toResource(devWorkspace: DevWorkspace): WorkspaceResource {
  const { namespace, name } = devWorkspace.metadata;
  return { workspaceId: toWorkspaceId(namespace, name), namespace, name, owner: ownerOf(devWorkspace)! };
}
