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
import { openVSXUrlPatch } from '../../model/editorTemplate';
import { toCreateResponse } from '../../model/createResponse';
import { devfileUrlOf } from '../../model/devfileSource';
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
import { WorkspaceEditors } from '../editor/WorkspaceEditors';
import { WorkspaceCreator } from './WorkspaceCreator';
import { WorkspaceLimits } from './WorkspaceLimits';

/** `POST /workspaces`: where the devfile comes from, and optionally where and under which name. */
export interface CreateWorkspaceRequest {
  source: DevfileSource;
  namespace?: string;
  name?: string;
}

/** What a create answered: a new workspace (201), or with `createPolicy: peruser` the caller's existing one (200). */
export interface CreateWorkspaceResult {
  created: boolean;
  workspace: CreateWorkspaceResponse;
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
      editors: WorkspaceEditors;
      logger: LoggerService;
      orphans: OrphanCleaner;
      namespaces: UserNamespaces;
    },
  ) {
    const { client, namespaces, access, config } = deps;
    this.owned = new OwnedWorkspaces({ client, namespaces, access });
    this.limits = new WorkspaceLimits({ client, namespaces, owned: this.owned, config });
    this.creator = new WorkspaceCreator({ client, orphans: deps.orphans, config, editors: deps.editors });
    this.devfiles = new DevfileLoader({
      reader: deps.devfileReader,
      schemaValidator: deps.schemaValidator,
      policy: config.devfilePolicy,
    });
    this.createNamespaces = new CreateNamespacePolicy(namespaces);
  }

  async create(caller: Caller, request: CreateWorkspaceRequest): Promise<CreateWorkspaceResult> {
    const source = await this.deps.devfileSources.resolve(request.source, caller.credentials);
    const devfileUrl = checkDevfileUrl(source.devfileUrl);
    assertRequestedNames(request);
    if (caller.kind !== 'user') {
      throw new NotAllowedError('Workspaces can only be created by users');
    }
    await this.deps.access.assertAllowed(cheLauncherWorkspaceCreatePermission, caller.credentials);
    const namespace = await this.createNamespaces.namespaceFor(caller.id, request.namespace);
    const existing = await this.existingFor(caller, devfileUrl, request);
    if (existing) return existing;
    // The download and checks run outside the per-user lock: one slow devfile host must not
    // hold up the same user's other creates. The lock covers the limit check and cluster steps.
    const devfile = await this.devfiles.load(devfileUrl);
    return this.ownerLock.run(normalizeEntityRef(caller.id), async () => {
      const existingNow = await this.existingFor(caller, devfileUrl, request);
      if (existingNow) return existingNow;
      await this.limits.assertCanCreate(caller.id, namespace);
      const workspace = await this.creator.create({
        owner: caller.id,
        namespace,
        devfileUrl,
        entityRef: source.entityRef,
        name: request.name,
        devfile,
      });
      return { created: true, workspace };
    });
  }

  /**
   * `createPolicy: peruser`: the caller's newest workspace made from `devfileUrl` (in the
   * requested namespace, when one is named). A request that names the workspace always creates.
   */
  private async existingFor(
    caller: Caller,
    devfileUrl: string,
    request: CreateWorkspaceRequest,
  ): Promise<CreateWorkspaceResult | undefined> {
    if (this.deps.config.createPolicy !== 'peruser' || request.name !== undefined) return undefined;
    const canRead = await this.deps.access
      .filterFor(caller, cheLauncherWorkspaceReadPermission)
      .catch(error => {
        // Not allowed to read workspaces: none to return, so a new one is created.
        if (error instanceof NotAllowedError) return () => false;
        throw error;
      });
    const [newest] = (await this.owned.ofOwner(caller.id))
      .filter(item => devfileUrlOf(item) === devfileUrl)
      .filter(item => request.namespace === undefined || item.metadata.namespace === request.namespace)
      .filter(item => canRead(toResource(item)))
      .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
    return newest ? { created: false, workspace: toCreateResponse(newest, this.deps.config.cheUrl) } : undefined;
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
      await this.deps.editors.refresh(devWorkspace);
      const started = await client.patch(
        namespace,
        name,
        [
          ...openVSXUrlPatch(devWorkspace.spec.template, config.editorUrls.openVSXUrl),
          ...startPatch(devWorkspace, new Date(), config.cheNamespace, config.storageType),
        ],
      );
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
