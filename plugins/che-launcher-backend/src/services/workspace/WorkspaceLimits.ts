import { ConflictError } from '@backstage/errors';
import { CheLauncherConfig } from '../../config';
import { isActive } from '../../model/toWorkspace';
import { DevWorkspace } from '../../model/types';
import { isBeingCreated } from '../../model/workspaceMarks';
import { DevWorkspaceClient } from '../kubernetes/DevWorkspaceClient';
import { UserNamespaces } from '../namespace/UserNamespaces';
import { OwnedWorkspaces } from './OwnedWorkspaces';

/** `cheLauncher.limits`, counted the way Che counts a user's workspaces; 409 when reached. */
export class WorkspaceLimits {
  constructor(
    private readonly deps: {
      client: DevWorkspaceClient;
      namespaces: UserNamespaces;
      owned: OwnedWorkspaces;
      config: Pick<CheLauncherConfig, 'limits' | 'allowedNamespaces'>;
    },
  ) {}

  async assertCanCreate(owner: string, namespace: string): Promise<void> {
    const { maxWorkspacesPerUser, maxRunningWorkspacesPerUser } = this.deps.config.limits;
    if (maxWorkspacesPerUser === -1 && maxRunningWorkspacesPerUser === -1) return;
    const own = this.deps.config.allowedNamespaces.includes(namespace)
      ? await this.deps.namespaces.find(owner)
      : namespace;
    const counted = await this.counted(owner, own);
    if (maxWorkspacesPerUser !== -1 && counted.length >= maxWorkspacesPerUser) {
      throw new ConflictError(
        `Workspace limit reached: you may have at most ${maxWorkspacesPerUser} workspace(s); delete one first`,
      );
    }
    assertRunningBelow(counted, maxRunningWorkspacesPerUser);
  }

  async assertCanStart(owner: string, starting: DevWorkspace): Promise<void> {
    const max = this.deps.config.limits.maxRunningWorkspacesPerUser;
    if (max === -1) return;
    const counted = await this.counted(owner, await this.deps.namespaces.find(owner));
    assertRunningBelow(
      counted.filter(item => item.metadata.uid !== starting.metadata.uid),
      max,
    );
  }

  /**
   * What Che counts for a user's limits: every DevWorkspace in their own namespace (made by
   * the dashboard or the plugin), plus the plugin's workspaces of theirs in shared namespaces.
   */
  private async counted(owner: string, ownNamespace: string | undefined): Promise<DevWorkspace[]> {
    const [marked, inNamespace] = await Promise.all([
      this.deps.owned.ofOwner(owner),
      ownNamespace ? this.deps.client.list('', ownNamespace) : Promise.resolve([]),
    ]);
    const byUid = new Map<string, DevWorkspace>();
    for (const item of [...marked, ...inNamespace]) {
      if (item.metadata.deletionTimestamp || isBeingCreated(item)) continue;
      byUid.set(item.metadata.uid ?? `${item.metadata.namespace}/${item.metadata.name}`, item);
    }
    return [...byUid.values()];
  }
}

function assertRunningBelow(counted: DevWorkspace[], max: number): void {
  if (max !== -1 && counted.filter(isActive).length >= max) {
    throw new ConflictError(
      `Running workspace limit reached: you may have at most ${max} running workspace(s); stop one first`,
    );
  }
}
