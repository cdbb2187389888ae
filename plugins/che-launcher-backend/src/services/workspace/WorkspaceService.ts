import { LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { Caller } from '@fawkes/plugin-api-guard-node';
import {
  CreateWorkspaceResponse,
  ListWorkspacesResponse,
  Workspace,
  WorkspaceStatus,
  cheLauncherWorkspaceCreatePermission,
  cheLauncherWorkspaceDeletePermission,
  cheLauncherWorkspaceReadPermission,
  cheLauncherWorkspaceUpdatePermission,
} from '@fawkes/plugin-che-launcher-common';
import { CheLauncherConfig } from '../../config';
import { startPatch, stopPatch } from '../../model/buildDevWorkspace';
import { LABEL_OWNER, MANAGED_SELECTOR } from '../../model/constants';
import { assertRequestedNames, normalizeEntityRef, ownerLabelValue, parseOwnerRef } from '../../model/names';
import { isActive, ownerOf, toWorkspace } from '../../model/toWorkspace';
import { WorkspaceAccess } from '../access/WorkspaceAccess';
import { WorkspaceResource } from '../access/permissionRules';
import { checkDevfileUrl } from '../devfile/checkDevfileUrl';
import { DevfileLoader } from '../devfile/DevfileLoader';
import { DevfileReader } from '../devfile/DevfileReader';
import { DevfileSchemaValidator } from '../devfile/DevfileSchemaValidator';
import { DevfileSource, DevfileSourceResolver } from '../devfile/DevfileSourceResolver';
import { DevWorkspaceClient } from '../kubernetes/DevWorkspaceClient';
import { CreateNamespacePolicy } from '../namespace/CreateNamespacePolicy';
import { UserNamespaces } from '../namespace/UserNamespaces';
import { KeyedMutex } from './KeyedMutex';
import { OrphanCleaner } from './OrphanCleaner';
import { OwnedWorkspaces, toResource } from './OwnedWorkspaces';
import { WorkspaceCreator } from './WorkspaceCreator';
import { WorkspaceLimits } from './WorkspaceLimits';

/** `POST /workspaces`: where the devfile comes from, and optionally where and under which name. */
export interface CreateWorkspaceRequest {
  source: DevfileSource;
  namespace?: string;
  name?: string;
}

/** Creates, lists, starts, stops and deletes the DevWorkspaces behind the API. */
export class WorkspaceService {
  private readonly ownerLock = new KeyedMutex();
  private readonly owned: OwnedWorkspaces;
  private readonly limits: WorkspaceLimits;
  private readonly creator: WorkspaceCreator;
  private readonly devfiles: DevfileLoader;
  private readonly createNamespaces: CreateNamespacePolicy;

  constructor(
    private readonly deps: {
      client: DevWorkspaceClient;
      devfileReader: DevfileReader;
      devfileSources: DevfileSourceResolver;
      schemaValidator: DevfileSchemaValidator;
      access: WorkspaceAccess;
      config: CheLauncherConfig;
      editorDevfile: Record<string, unknown>;
      logger: LoggerService;
      orphans: OrphanCleaner;
      namespaces: UserNamespaces;
    },
  ) {
    const { client, namespaces, access, config } = deps;
    this.owned = new OwnedWorkspaces({ client, namespaces, access });
    this.limits = new WorkspaceLimits({ client, namespaces, owned: this.owned, config });
    this.creator = new WorkspaceCreator({ client, orphans: deps.orphans, config, editorDevfile: deps.editorDevfile });
    this.devfiles = new DevfileLoader({ reader: deps.devfileReader, schemaValidator: deps.schemaValidator });
    this.createNamespaces = new CreateNamespacePolicy(namespaces);
  }

  async create(caller: Caller, request: CreateWorkspaceRequest): Promise<CreateWorkspaceResponse> {
    const source = await this.deps.devfileSources.resolve(request.source, caller.credentials);
    const devfileUrl = checkDevfileUrl(source.devfileUrl);
    assertRequestedNames(request);
    if (caller.kind !== 'user') {
      throw new NotAllowedError('Workspaces can only be created by users');
    }
    await this.deps.access.assertAllowed(cheLauncherWorkspaceCreatePermission, caller.credentials);
    const namespace = await this.createNamespaces.namespaceFor(caller.id, request.namespace);
    // The download and checks run outside the per-user lock: one slow devfile host must not
    // hold up the same user's other creates. The lock covers the limit check and cluster steps.
    const devfile = await this.devfiles.load(devfileUrl);
    return this.ownerLock.run(normalizeEntityRef(caller.id), async () => {
      await this.limits.assertCanCreate(caller.id, namespace);
      return this.creator.create({
        owner: caller.id,
        namespace,
        devfileUrl,
        entityRef: source.entityRef,
        name: request.name,
        devfile,
      });
    });
  }

  async list(
    caller: Caller,
    query: { status?: WorkspaceStatus; owner?: string },
  ): Promise<ListWorkspacesResponse> {
    const { config, access } = this.deps;
    let owner = query.owner;
    if (owner !== undefined) {
      owner = parseOwnerRef(owner);
      if (caller.kind === 'user' && config.ownerOnly && owner !== normalizeEntityRef(caller.id)) {
        throw new NotAllowedError("Only service callers may list other users' workspaces");
      }
    } else if (caller.kind === 'user' && config.ownerOnly) {
      owner = caller.id;
    }
    const canRead = await access.filterFor(caller, cheLauncherWorkspaceReadPermission);
    const selector = owner ? `${MANAGED_SELECTOR},${LABEL_OWNER}=${ownerLabelValue(owner)}` : MANAGED_SELECTOR;
    const workspaces = (await this.owned.list(selector))
      .filter(item => !owner || normalizeEntityRef(ownerOf(item)!) === normalizeEntityRef(owner))
      .filter(item => canRead(toResource(item)))
      .map(item => toWorkspace(item, config.cheUrl))
      .filter(workspace => !query.status || workspace.status === query.status)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.workspaceId.localeCompare(b.workspaceId));
    return { workspaces, total: workspaces.length };
  }

  async get(caller: Caller, workspaceId: string): Promise<Workspace> {
    const devWorkspace = await this.owned.find(caller, workspaceId, cheLauncherWorkspaceReadPermission);
    return toWorkspace(devWorkspace, this.deps.config.cheUrl);
  }

  async start(caller: Caller, workspaceId: string): Promise<Workspace> {
    const { client, config } = this.deps;
    const devWorkspace = await this.owned.find(caller, workspaceId, cheLauncherWorkspaceUpdatePermission);
    if (devWorkspace.spec.started && isActive(devWorkspace)) {
      return toWorkspace(devWorkspace, config.cheUrl);
    }
    const owner = ownerOf(devWorkspace)!;
    return this.ownerLock.run(normalizeEntityRef(owner), async () => {
      await this.limits.assertCanStart(owner, devWorkspace);
      const { namespace, name } = devWorkspace.metadata;
      if (devWorkspace.spec.started) {
        // Failed or Error while still marked started: DWO restarts only on a false → true
        // change, so stop it first, as the Che dashboard's restart does.
        await client.patch(namespace, name, stopPatch());
      }
      const started = await client.patch(namespace, name, startPatch(devWorkspace, new Date(), config.cheNamespace));
      return toWorkspace(started, config.cheUrl);
    });
  }

  async stop(caller: Caller, workspaceId: string): Promise<Workspace> {
    const devWorkspace = await this.owned.find(caller, workspaceId, cheLauncherWorkspaceUpdatePermission);
    if (!devWorkspace.spec.started) {
      return toWorkspace(devWorkspace, this.deps.config.cheUrl);
    }
    const { namespace, name } = devWorkspace.metadata;
    const stopped = await this.deps.client.patch(namespace, name, stopPatch());
    return toWorkspace(stopped, this.deps.config.cheUrl);
  }

  async delete(caller: Caller, workspaceId: string): Promise<void> {
    const devWorkspace = await this.owned.find(caller, workspaceId, cheLauncherWorkspaceDeletePermission);
    const { namespace, name } = devWorkspace.metadata;
    await this.deps.client.delete(namespace, name);
  }

  /** The permission framework's view of workspaces, by id (for apply-conditions requests). */
  async getResources(workspaceIds: string[]): Promise<Array<WorkspaceResource | undefined>> {
    return this.owned.resources(workspaceIds);
  }
}
