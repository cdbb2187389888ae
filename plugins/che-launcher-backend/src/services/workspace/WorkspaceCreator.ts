import { ConflictError } from '@backstage/errors';
import { CreateWorkspaceResponse } from '@fawkes/plugin-che-launcher-common';
import { CheLauncherConfig } from '../../config';
import { assertAnnotationsFit } from '../../model/annotationLimit';
import { buildDevWorkspace, startPatch } from '../../model/buildDevWorkspace';
import { LABEL_CREATING } from '../../model/constants';
import { toCreateResponse } from '../../model/createResponse';
import { devfileWorkspaceNames } from '../../model/names';
import { DevWorkspace } from '../../model/types';
import { LoadedDevfile } from '../devfile/DevfileLoader';
import { DevWorkspaceClient } from '../kubernetes/DevWorkspaceClient';
import { isAlreadyExists, kubernetesAnswered } from '../kubernetes/errors';
import { ResolvedEditor } from '../editor/EditorResolver';
import { WorkspaceEditors } from '../editor/WorkspaceEditors';
import { OrphanCleaner } from './OrphanCleaner';

/** The devfile's own name, then up to three suffixed ones when it is taken. */
const GENERATED_NAME_ATTEMPTS = 4;

export interface CreateInNamespace {
  owner: string;
  namespace: string;
  devfileUrl: string;
  /** The catalog entity the devfile came from. */
  entityRef?: string;
  /** The caller's name; otherwise the devfile's (see devfileWorkspaceNames). */
  name?: string;
  devfile: LoadedDevfile;
}

/**
 * Creates the DevWorkspace, its editor template and starts it: retries a generated name that
 * clashes, and removes what it made when a later step fails (nothing half-created).
 */
export class WorkspaceCreator {
  constructor(
    private readonly deps: {
      client: DevWorkspaceClient;
      orphans: OrphanCleaner;
      config: CheLauncherConfig;
      /** The editor (Che's definition, else the built-in one) and its template. */
      editors: WorkspaceEditors;
    },
  ) {}

  async create(input: CreateInNamespace): Promise<CreateWorkspaceResponse> {
    const editor = await this.deps.editors.resolve();
    const created = await this.createDevWorkspace(input, editor);
    try {
      return await this.complete(created, editor);
    } catch (error) {
      await this.deps.orphans.rollback(created);
      throw error;
    }
  }

  private async createDevWorkspace(input: CreateInNamespace, editor: ResolvedEditor): Promise<DevWorkspace> {
    const { client, config } = this.deps;
    const { owner, namespace, devfile } = input;
    const metadata = (devfile.document.metadata ?? {}) as { name?: unknown; generateName?: unknown };
    const devfileName = devfileWorkspaceNames(metadata);
    const now = new Date();
    for (let attempt = 1; ; attempt++) {
      const name = input.name ?? devfileName(attempt);
      const devWorkspace = buildDevWorkspace({
        devfile: devfile.document,
        devfileText: devfile.text,
        devfileUrl: input.devfileUrl,
        entityRef: input.entityRef,
        namespace,
        name,
        owner,
        editor: { id: editor.id, devfile: editor.devfile },
        now,
        cheNamespace: config.cheNamespace,
        storageType: config.storageType,
      });
      assertAnnotationsFit(devWorkspace);
      try {
        return await client.create(devWorkspace);
      } catch (error) {
        const alreadyExists = isAlreadyExists(error);
        if (alreadyExists && !input.name && attempt < GENERATED_NAME_ATTEMPTS) continue;
        if (alreadyExists) throw await this.nameTaken(namespace, name);
        if (!kubernetesAnswered(error)) {
          // The create may have reached the cluster before the failure; remove it if it did.
          await this.deps.orphans.removeAfterUnansweredCreate(namespace, name, owner, now);
        }
        throw error;
      }
    }
  }

  private async complete(created: DevWorkspace, editor: ResolvedEditor): Promise<CreateWorkspaceResponse> {
    const { client, config } = this.deps;
    const { namespace, name, uid } = created.metadata;
    await client.createTemplate(this.deps.editors.template({ metadata: { name, namespace, uid: uid ?? '' } }, editor));
    // Starting completes the create: the same patch drops the "creating" label, so a
    // DevWorkspace that keeps it was left by a create that failed (see OrphanCleaner).
    const started = await client.patch(namespace, name, [
      ...startPatch(created, new Date()),
      { op: 'remove', path: `/metadata/labels/${LABEL_CREATING.replace(/\//g, '~1')}` },
    ]);
    return toCreateResponse(started, config.cheUrl);
  }

  private async nameTaken(namespace: string, name: string): Promise<Error> {
    const existing = await this.deps.client.get(namespace, name).catch(() => undefined);
    if (existing?.metadata.deletionTimestamp) {
      return new ConflictError(`Workspace with name '${name}' is still being deleted; try again shortly`);
    }
    return new ConflictError(`Workspace with name '${name}' already exists`);
  }
}
