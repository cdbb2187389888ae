import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { UserNamespaces } from '../namespace/UserNamespaces';
import { OrphanCleaner } from './OrphanCleaner';
import { Caller, PayloadTooLargeError } from '@fawkes/plugin-api-guard-node';
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
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { CheLauncherConfig } from '../../config';
import { WorkspaceAccess, WORKSPACE_NOT_FOUND } from '../access/WorkspaceAccess';
import { WorkspaceResource } from '../access/permissionRules';
import { DevfileReader } from '../devfile/DevfileReader';
import { DevfileSchemaValidator } from '../devfile/DevfileSchemaValidator';
import { parseDevfile } from '../devfile/parseDevfile';
import { DevWorkspaceClient } from '../kubernetes/DevWorkspaceClient';
import { kubernetesAnswered, kubernetesCodeOf } from '../kubernetes/errors';
import {
  buildDevWorkspace,
  buildEditorTemplate,
  devfileIdentity,
  restrictedAttributesIn,
  startPatch,
  stopPatch,
} from './buildDevWorkspace';
import {
  LABEL_CREATING,
  LABEL_MANAGED_BY,
  LABEL_OWNER,
  MANAGED_BY,
  MANAGED_SELECTOR,
} from './constants';
import {
  generateWorkspaceName,
  isSystemNamespace,
  normalizeEntityRef,
  ownerLabelValue,
  parseWorkspaceId,
  toWorkspaceId,
} from './names';
import { KeyedMutex } from './KeyedMutex';
import { isActive, ownerOf, toWorkspace } from './toWorkspace';
import { DevWorkspace } from './types';

const GENERATED_NAME_ATTEMPTS = 3;

export interface CreateWorkspaceInput {
  devfileUrl: string;
  /** The catalog entity the devfile came from (`POST /workspaces {"entityRef"}`). */
  entityRef?: string;
  namespace?: string;
  name?: string;
}

/** Creates, lists, starts, stops and deletes the DevWorkspaces behind the API. */
export class WorkspaceService {
  private readonly ownerLock = new KeyedMutex();

  constructor(
    private readonly deps: {
      client: DevWorkspaceClient;
      devfileReader: DevfileReader;
      schemaValidator: DevfileSchemaValidator;
      access: WorkspaceAccess;
      config: CheLauncherConfig;
      editorDevfile: Record<string, unknown>;
      logger: LoggerService;
      orphans: OrphanCleaner;
      namespaces: UserNamespaces;
    },
  ) {}

  async create(caller: Caller, input: CreateWorkspaceInput): Promise<CreateWorkspaceResponse> {
    if (caller.kind !== 'user') {
      throw new NotAllowedError('Workspaces can only be created by users');
    }
    await this.deps.access.assertAllowed(cheLauncherWorkspaceCreatePermission, caller.credentials);
    const namespace = await this.namespaceFor(caller.id, input.namespace);
    // The download and checks run outside the per-user lock: one slow devfile host must not
    // hold up the same user's other creates. The lock covers the limit check and cluster steps.
    const devfile = await this.readDevfile(input.devfileUrl);
    return this.ownerLock.run(normalizeEntityRef(caller.id), async () => {
      await this.assertCreateLimits(caller.id, namespace);
      return this.createInNamespace(caller.id, namespace, input, devfile);
    });
  }

  private async readDevfile(devfileUrl: string): Promise<{ text: string; document: Record<string, unknown> }> {
    const text = await this.deps.devfileReader.read(devfileUrl);
    const document = parseDevfile(text);
    this.deps.schemaValidator.validate(document);
    const restricted = restrictedAttributesIn(document);
    if (restricted.length > 0) {
      throw new InputError(
        `Invalid devfile: attribute(s) ${restricted.map(a => `'${a}'`).join(', ')} may not be set through che-launcher`,
      );
    }
    return { text, document };
  }

  private async createInNamespace(
    owner: string,
    namespace: string,
    input: CreateWorkspaceInput,
    { text: devfileText, document: devfile }: { text: string; document: Record<string, unknown> },
  ): Promise<CreateWorkspaceResponse> {
    const { client, config } = this.deps;

    const baseName = devfileIdentity(devfile).name ?? undefined;
    const now = new Date();
    let created: DevWorkspace | undefined;
    for (let attempt = 1; !created; attempt++) {
      const name = input.name ?? generateWorkspaceName(baseName);
      const devWorkspace = buildDevWorkspace({
        devfile,
        devfileText,
        devfileUrl: input.devfileUrl,
        entityRef: input.entityRef,
        namespace,
        name,
        owner,
        editor: { id: config.editor.id, devfile: this.deps.editorDevfile },
        now,
        cheNamespace: config.cheNamespace,
      });
      assertAnnotationsFit(devWorkspace);
      try {
        created = await client.create(devWorkspace);
      } catch (error) {
        const alreadyExists = kubernetesCodeOf(error) === 409 && error instanceof ConflictError;
        if (alreadyExists && !input.name && attempt < GENERATED_NAME_ATTEMPTS) continue;
        if (alreadyExists) throw await this.nameTaken(namespace, name);
        if (!kubernetesAnswered(error)) {
          // The create may have reached the cluster before the failure; remove it if it did.
          await this.deps.orphans.removeAfterUnansweredCreate(namespace, name, owner, now);
        }
        throw error;
      }
    }

    const createdWorkspace = created;
    try {
      await client.createTemplate(
        buildEditorTemplate(
          {
            metadata: {
              name: createdWorkspace.metadata.name,
              namespace,
              uid: createdWorkspace.metadata.uid ?? '',
            },
          },
          this.deps.editorDevfile,
        ),
      );
      // Starting completes the create: the same patch drops the "creating" label, so a
      // DevWorkspace that keeps it was left by a create that failed (see OrphanCleaner).
      const started = await client.patch(namespace, createdWorkspace.metadata.name, [
        ...startPatch(createdWorkspace, new Date()),
        { op: 'remove', path: `/metadata/labels/${LABEL_CREATING.replace(/\//g, '~1')}` },
      ]);
      const workspace = toWorkspace(started, config.cheUrl);
      return {
        workspaceId: workspace.workspaceId,
        name: workspace.name,
        status: workspace.status,
        ideUrl: workspace.ideUrl,
        devfile: workspace.devfile,
      };
    } catch (error) {
      await this.deps.orphans.rollback(createdWorkspace);
      throw error;
    }
  }

  async list(
    caller: Caller,
    query: { status?: WorkspaceStatus; owner?: string },
  ): Promise<ListWorkspacesResponse> {
    let owner = query.owner;
    if (owner !== undefined) {
      owner = normalizeOwner(owner);
      if (caller.kind === 'user' && this.deps.config.ownerOnly && owner !== normalizeEntityRef(caller.id)) {
        throw new NotAllowedError("Only service callers may list other users' workspaces");
      }
    } else if (caller.kind === 'user' && this.deps.config.ownerOnly) {
      owner = caller.id;
    }
    const canRead = await this.deps.access.filterFor(caller, cheLauncherWorkspaceReadPermission);
    const selector = owner
      ? `${MANAGED_SELECTOR},${LABEL_OWNER}=${ownerLabelValue(owner)}`
      : MANAGED_SELECTOR;
    const items = await this.ownersOwn(await this.deps.client.list(selector));
    const workspaces = items
      .filter(item => !owner || normalizeEntityRef(ownerOf(item)!) === normalizeEntityRef(owner))
      .filter(item => canRead(toResource(item)))
      .map(item => toWorkspace(item, this.deps.config.cheUrl))
      .filter(workspace => !query.status || workspace.status === query.status)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.workspaceId.localeCompare(b.workspaceId));
    return { workspaces, total: workspaces.length };
  }

  async get(caller: Caller, workspaceId: string): Promise<Workspace> {
    const devWorkspace = await this.find(caller, workspaceId, cheLauncherWorkspaceReadPermission);
    return toWorkspace(devWorkspace, this.deps.config.cheUrl);
  }

  async start(caller: Caller, workspaceId: string): Promise<Workspace> {
    const devWorkspace = await this.find(caller, workspaceId, cheLauncherWorkspaceUpdatePermission);
    if (devWorkspace.spec.started && isActive(devWorkspace)) {
      return toWorkspace(devWorkspace, this.deps.config.cheUrl);
    }
    const owner = ownerOf(devWorkspace)!;
    return this.ownerLock.run(normalizeEntityRef(owner), async () => {
      await this.assertRunningLimit(owner, devWorkspace);
      const { namespace, name } = devWorkspace.metadata;
      if (devWorkspace.spec.started) {
        // Failed or Error while still marked started: DWO restarts only on a false → true
        // change, so stop it first, as the Che dashboard's restart does.
        await this.patch(namespace, name, stopPatch());
      }
      const started = await this.patch(
        namespace,
        name,
        startPatch(devWorkspace, new Date(), this.deps.config.cheNamespace),
      );
      return toWorkspace(started, this.deps.config.cheUrl);
    });
  }

  async stop(caller: Caller, workspaceId: string): Promise<Workspace> {
    const devWorkspace = await this.find(caller, workspaceId, cheLauncherWorkspaceUpdatePermission);
    if (!devWorkspace.spec.started) {
      return toWorkspace(devWorkspace, this.deps.config.cheUrl);
    }
    const { namespace, name } = devWorkspace.metadata;
    const stopped = await this.patch(namespace, name, stopPatch());
    return toWorkspace(stopped, this.deps.config.cheUrl);
  }

  async delete(caller: Caller, workspaceId: string): Promise<void> {
    const devWorkspace = await this.find(caller, workspaceId, cheLauncherWorkspaceDeletePermission);
    const { namespace, name } = devWorkspace.metadata;
    await this.deps.client.delete(namespace, name);
  }

  /** The permission framework's view of workspaces, by id (for apply-conditions requests). */
  async getResources(workspaceIds: string[]): Promise<Array<WorkspaceResource | undefined>> {
    return Promise.all(
      workspaceIds.map(async workspaceId => {
        const parsed = parseWorkspaceId(workspaceId);
        if (!parsed) return undefined;
        const devWorkspace = await this.deps.client.get(parsed.namespace, parsed.name);
        const [own] = devWorkspace ? await this.ownersOwn([devWorkspace]) : [];
        return own ? toResource(own) : undefined;
      }),
    );
  }

  /** Resolves a workspace id the caller may act on, or throws 400/404/403. */
  private async find(
    caller: Caller,
    workspaceId: string,
    permission: ResourcePermission,
  ): Promise<DevWorkspace> {
    const parsed = parseWorkspaceId(workspaceId);
    if (!parsed) {
      // The API document lists "Invalid workspace ID" under 404: nothing can be found by it.
      throw new NotFoundError(WORKSPACE_NOT_FOUND);
    }
    const devWorkspace = await this.deps.client.get(parsed.namespace, parsed.name);
    if (!devWorkspace || (await this.ownersOwn([devWorkspace])).length === 0) {
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

  private async patch(namespace: string, name: string, patch: object[]): Promise<DevWorkspace> {
    return this.deps.client.patch(namespace, name, patch);
  }

  /**
   * The managed, complete, not-deleted DevWorkspaces whose owner marks count: those in their
   * owner's own namespace or a shared one (`allowedNamespaces`). Marks elsewhere mean nothing.
   */
  private async ownersOwn(items: DevWorkspace[]): Promise<DevWorkspace[]> {
    const candidates = items.filter(
      item => isManaged(item) && !isGoneForCallers(item) && !isBeingCreated(item),
    );
    const verdicts = await Promise.all(
      candidates.map(item =>
        this.deps.namespaces.isUsersNamespace(ownerOf(item)!, item.metadata.namespace),
      ),
    );
    return candidates.filter((_, i) => verdicts[i]);
  }

  /** The namespace a user's new workspace goes to; 403 for namespaces they may not use. */
  private async namespaceFor(userEntityRef: string, requested: string | undefined): Promise<string> {
    if (requested !== undefined) {
      if (isSystemNamespace(requested)) {
        throw new NotAllowedError(`Workspaces may not be created in system namespace '${requested}'`);
      }
      if (!(await this.deps.namespaces.isUsersNamespace(userEntityRef, requested))) {
        throw new NotAllowedError(`You may not create workspaces in namespace '${requested}'`);
      }
      return requested;
    }
    const own = await this.deps.namespaces.forCreate(userEntityRef);
    if (isSystemNamespace(own)) {
      throw new NotAllowedError(`Workspaces may not be created in system namespace '${own}'`);
    }
    return own;
  }

  /**
   * What Che counts for a user's limits: every DevWorkspace in their own namespace (made by
   * the dashboard or the plugin), plus the plugin's workspaces of theirs in shared namespaces.
   */
  private async countedWorkspaces(owner: string, ownNamespace: string | undefined): Promise<DevWorkspace[]> {
    const [marked, inNamespace] = await Promise.all([
      this.deps.client
        .list(`${MANAGED_SELECTOR},${LABEL_OWNER}=${ownerLabelValue(owner)}`)
        .then(items => this.ownersOwn(items))
        .then(items => items.filter(item => normalizeEntityRef(ownerOf(item)!) === normalizeEntityRef(owner))),
      ownNamespace ? this.deps.client.list('', ownNamespace) : Promise.resolve([]),
    ]);
    const byUid = new Map<string, DevWorkspace>();
    for (const item of [...marked, ...inNamespace]) {
      if (item.metadata.deletionTimestamp || isBeingCreated(item)) continue;
      byUid.set(item.metadata.uid ?? `${item.metadata.namespace}/${item.metadata.name}`, item);
    }
    return [...byUid.values()];
  }

  private async assertCreateLimits(owner: string, namespace: string): Promise<void> {
    const { maxWorkspacesPerUser, maxRunningWorkspacesPerUser } = this.deps.config.limits;
    if (maxWorkspacesPerUser === -1 && maxRunningWorkspacesPerUser === -1) return;
    const own = this.deps.config.allowedNamespaces.includes(namespace)
      ? await this.deps.namespaces.find(owner)
      : namespace;
    const counted = await this.countedWorkspaces(owner, own);
    if (maxWorkspacesPerUser !== -1 && counted.length >= maxWorkspacesPerUser) {
      throw new ConflictError(
        `Workspace limit reached: you may have at most ${maxWorkspacesPerUser} workspace(s); delete one first`,
      );
    }
    this.checkRunning(counted, maxRunningWorkspacesPerUser);
  }

  private async assertRunningLimit(owner: string, starting: DevWorkspace): Promise<void> {
    const max = this.deps.config.limits.maxRunningWorkspacesPerUser;
    if (max === -1) return;
    const counted = await this.countedWorkspaces(owner, await this.deps.namespaces.find(owner));
    this.checkRunning(
      counted.filter(item => item.metadata.uid !== starting.metadata.uid),
      max,
    );
  }

  private checkRunning(owned: DevWorkspace[], max: number) {
    if (max !== -1 && owned.filter(isActive).length >= max) {
      throw new ConflictError(
        `Running workspace limit reached: you may have at most ${max} running workspace(s); stop one first`,
      );
    }
  }

  private async nameTaken(namespace: string, name: string): Promise<Error> {
    const existing = await this.deps.client.get(namespace, name).catch(() => undefined);
    if (existing?.metadata.deletionTimestamp) {
      return new ConflictError(
        `Workspace with name '${name}' is still being deleted; try again shortly`,
      );
    }
    return new ConflictError(`Workspace with name '${name}' already exists`);
  }

}

/**
 * A deleted DevWorkspace leaves the API at once, unless DWO reports it stuck in Error while
 * finalizing (e.g. storage clean-up failed): Che still shows it, so the plugin does too (as
 * Failed), and another DELETE is accepted rather than a 404.
 */
function isGoneForCallers(devWorkspace: DevWorkspace): boolean {
  return Boolean(devWorkspace.metadata.deletionTimestamp) && devWorkspace.status?.phase !== 'Error';
}

/** Kubernetes' limit on all annotations of one object (keys and values), in bytes. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/**
 * The devfile travels in the `che.eclipse.org/devfile` annotation: one too large for Kubernetes'
 * total annotation limit is a 413 here, never a 422 from the cluster.
 */
function assertAnnotationsFit(devWorkspace: DevWorkspace): void {
  let total = 0;
  for (const [key, value] of Object.entries(devWorkspace.metadata.annotations ?? {})) {
    total += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
    throw new PayloadTooLargeError(
      `The devfile is too large to store in the DevWorkspace: its annotations would take ${total} bytes, Kubernetes allows ${TOTAL_ANNOTATION_SIZE_LIMIT}`,
    );
  }
}

/** Left by a create that has not (or never) completed; see OrphanCleaner. */
export function isBeingCreated(devWorkspace: DevWorkspace): boolean {
  return devWorkspace.metadata.labels?.[LABEL_CREATING] !== undefined;
}

function isManaged(devWorkspace: DevWorkspace): boolean {
  return (
    devWorkspace.metadata.labels?.[LABEL_MANAGED_BY] === MANAGED_BY &&
    typeof ownerOf(devWorkspace) === 'string'
  );
}

function toResource(devWorkspace: DevWorkspace): WorkspaceResource {
  const { namespace, name } = devWorkspace.metadata;
  return { workspaceId: toWorkspaceId(namespace, name), namespace, name, owner: ownerOf(devWorkspace)! };
}

/** `user:default/jane` (or `jane`, defaulting kind and namespace) → normalized entity ref. */
function normalizeOwner(owner: string): string {
  let ref;
  try {
    ref = parseEntityRef(owner, { defaultKind: 'user', defaultNamespace: 'default' });
  } catch {
    throw new InputError('Invalid owner: expected a user entity ref such as user:default/jane');
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new InputError('Invalid owner: expected a user entity ref such as user:default/jane');
  }
  return normalizeEntityRef(stringifyEntityRef(ref));
}
