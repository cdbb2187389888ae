import { stringify } from 'yaml';
import {
  ANNOTATION_CHE_EDITOR,
  ANNOTATION_DEVFILE,
  ANNOTATION_DEVFILE_NAME,
  ANNOTATION_DEVFILE_SOURCE,
  ANNOTATION_ENTITY_REF,
  ANNOTATION_DEVFILE_VERSION,
  ANNOTATION_LAST_UPDATED,
  ANNOTATION_OWNER,
  DEVWORKSPACE_API_VERSION,
  DEVWORKSPACE_SOURCE,
  LABEL_CREATING,
  LABEL_DEVWORKSPACE_SOURCE,
  LABEL_MANAGED_BY,
  LABEL_OWNER,
  MANAGED_BY,
} from './constants';
import { EditorUrls, editorTemplateAnnotations, editorTemplateSpec } from './editorTemplate';
import { mergeDeep } from './mergeDeep';
import { ownerLabelValue } from './names';
import { DevWorkspace, DevWorkspaceTemplate } from './types';

/** The devfile attribute whose map the generator moves into the DevWorkspace's annotations. */
const DW_METADATA_ANNOTATIONS = 'dw.metadata.annotations';
const USE_STARTER_PROJECT = 'controller.devfile.io/use-starter-project';

/**
 * Template attributes a devfile may not set through the plugin: DWO checks them against the
 * *creator*, which here is the plugin's service account, not the user (e.g. an OpenShift SCC the
 * service account may use), or they redirect DWO's configuration.
 */
export const RESTRICTED_ATTRIBUTES = [
  'controller.devfile.io/scc',
  'controller.devfile.io/devworkspace-config',
];

/** The restricted attributes a devfile sets (top-level or `metadata.attributes`). */
export function restrictedAttributesIn(devfile: Record<string, unknown>): string[] {
  const attributes = {
    ...asRecord(asRecord(devfile.metadata).attributes),
    ...asRecord(devfile.attributes),
  };
  return RESTRICTED_ATTRIBUTES.filter(key => key in attributes);
}

export interface DevWorkspaceInput {
  devfile: Record<string, unknown>;
  /** The devfile exactly as read (stored in `che.eclipse.org/devfile`). */
  devfileText: string;
  devfileUrl: string;
  /** The catalog entity the workspace is opened for, when there is one. */
  entityRef?: string;
  namespace: string;
  name: string;
  owner: string;
  editor: { id: string; devfile: Record<string, unknown> };
  now: Date;
  /** Che's namespace: the workspace uses the operator config Che keeps there. */
  cheNamespace?: string;
  /** Che's `pvcStrategy`: the storage type of a devfile that names none. */
  storageType?: string;
}

/** DWO's storage type attribute (Che's `pvcStrategy`). */
export const STORAGE_TYPE_ATTRIBUTE = 'controller.devfile.io/storage-type';
/** The DevWorkspace's display name in the Che dashboard (Che ≥ 7.116 sets it to the name). */
export const LABEL_DISPLAY_NAME = 'kubernetes.io/metadata.name';

/** The template attribute that points DWO at Che's operator config. */
export const DEVWORKSPACE_CONFIG_ATTRIBUTE = 'controller.devfile.io/devworkspace-config';

/** `{name: devworkspace-config, namespace: <Che's namespace>}`, as the Che dashboard sets it. */
export function devWorkspaceConfigRef(cheNamespace: string) {
  return { name: 'devworkspace-config', namespace: cheNamespace };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The devfile's `metadata.name` / `metadata.version`, when they are strings. */
export function devfileIdentity(devfile: Record<string, unknown>): {
  name: string | null;
  version: string | null;
} {
  const metadata = asRecord(devfile.metadata);
  return {
    name: typeof metadata.name === 'string' ? metadata.name : null,
    version: typeof metadata.version === 'string' ? metadata.version : null,
  };
}

/** The editor's DevWorkspaceTemplate name, `<editor name>-<workspace name>` as in Che. */
export function editorTemplateName(editorDevfile: Record<string, unknown>, workspaceName: string) {
  const editorName = devfileIdentity(editorDevfile).name ?? 'editor';
  return `${editorName}-${workspaceName}`;
}

/** The editor template a DevWorkspace's `editor` contribution names (the editor Che resolved). */
export function editorTemplateOf(devWorkspace: { spec?: { contributions?: unknown[] } }): string | undefined {
  for (const contribution of devWorkspace.spec?.contributions ?? []) {
    const c = contribution as { name?: unknown; kubernetes?: { name?: unknown } } | null;
    if (c?.name === 'editor' && typeof c.kubernetes?.name === 'string') return c.kubernetes.name;
  }
  return undefined;
}

/**
 * The DevWorkspace for a devfile, the way the Che dashboard builds it (generator conventions):
 * the devfile minus `schemaVersion`/`metadata` becomes `spec.template`, the editor is contributed
 * through a DevWorkspaceTemplate, routing class `che`, created stopped (`started: false`).
 *
 * @public
 */
export function buildDevWorkspace(input: DevWorkspaceInput): DevWorkspace {
  const { schemaVersion: _schemaVersion, metadata, ...template } = structuredClone(input.devfile);
  // The generator: `metadata.attributes` merged deeply over the top-level `attributes`.
  const attributes = mergeDeep(asRecord(template.attributes), asRecord(asRecord(metadata).attributes));

  const extraAnnotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(asRecord(attributes[DW_METADATA_ANNOTATIONS]))) {
    if (typeof value === 'string') extraAnnotations[key] = value;
  }
  delete attributes[DW_METADATA_ANNOTATIONS];

  // The generator names the first starter project whenever there is one.
  const starterProjects = Array.isArray(template.starterProjects) ? template.starterProjects : [];
  const firstStarter = asRecord(starterProjects[0]).name;
  if (typeof firstStarter === 'string') attributes[USE_STARTER_PROJECT] = firstStarter;
  if (input.cheNamespace) {
    attributes[DEVWORKSPACE_CONFIG_ATTRIBUTE] = devWorkspaceConfigRef(input.cheNamespace);
  }
  // The dashboard's managePvcStrategy: Che's pvcStrategy unless the devfile names a storage type.
  if (input.storageType && !attributes[STORAGE_TYPE_ATTRIBUTE]) {
    attributes[STORAGE_TYPE_ATTRIBUTE] = input.storageType;
  }
  if (Object.keys(attributes).length > 0) {
    template.attributes = attributes;
  } else {
    delete template.attributes;
  }

  const identity = devfileIdentity(input.devfile);
  const annotations: Record<string, string> = {
    ...extraAnnotations,
    [ANNOTATION_DEVFILE]: input.devfileText,
    [ANNOTATION_DEVFILE_SOURCE]: stringify({ factory: { params: `url=${input.devfileUrl}` } }),
    [ANNOTATION_CHE_EDITOR]: input.editor.id,
    [ANNOTATION_LAST_UPDATED]: input.now.toISOString(),
    [ANNOTATION_OWNER]: input.owner,
  };
  if (identity.name !== null) annotations[ANNOTATION_DEVFILE_NAME] = identity.name;
  if (identity.version !== null) annotations[ANNOTATION_DEVFILE_VERSION] = identity.version;
  if (input.entityRef) annotations[ANNOTATION_ENTITY_REF] = input.entityRef;

  return {
    apiVersion: DEVWORKSPACE_API_VERSION,
    kind: 'DevWorkspace',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      labels: {
        [LABEL_MANAGED_BY]: MANAGED_BY,
        [LABEL_DEVWORKSPACE_SOURCE]: DEVWORKSPACE_SOURCE,
        [LABEL_OWNER]: ownerLabelValue(input.owner),
        [LABEL_CREATING]: 'true',
        [LABEL_DISPLAY_NAME]: input.name,
      },
      annotations,
    },
    spec: {
      started: false,
      routingClass: 'che',
      template,
      contributions: [
        {
          name: 'editor',
          // No namespace, as the generator writes it: DWO looks in the workspace's own.
          kubernetes: { name: editorTemplateName(input.editor.devfile, input.name) },
        },
      ],
    },
  };
}

/**
 * The editor's DevWorkspaceTemplate, owned by the DevWorkspace so deleting it collects this; as
 * the dashboard makes it: managed by Che (`editorId` for its update check) and the Che URLs in
 * every container.
 */
export function buildEditorTemplate(
  devWorkspace: { metadata: { name: string; namespace: string; uid: string } },
  editorDevfile: Record<string, unknown>,
  options: { editorId?: string; urls?: EditorUrls } = {},
): DevWorkspaceTemplate {
  const spec = editorTemplateSpec(editorDevfile, options.urls ?? {});
  return {
    apiVersion: DEVWORKSPACE_API_VERSION,
    kind: 'DevWorkspaceTemplate',
    metadata: {
      name: editorTemplateName(editorDevfile, devWorkspace.metadata.name),
      namespace: devWorkspace.metadata.namespace,
      labels: { [LABEL_MANAGED_BY]: MANAGED_BY },
      ...(options.editorId ? { annotations: editorTemplateAnnotations(options.editorId) } : {}),
      ownerReferences: [
        {
          apiVersion: DEVWORKSPACE_API_VERSION,
          kind: 'DevWorkspace',
          name: devWorkspace.metadata.name,
          uid: devWorkspace.metadata.uid,
        },
      ],
    },
    spec,
  };
}

/** JSON Pointer escaping of one path segment (RFC 6901). */
function pointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The dashboard's start patch: `spec.started = true` plus a fresh last-updated timestamp
 * (adding the annotations map first if it is missing).
 */
export function startPatch(devWorkspace: DevWorkspace, now: Date, cheNamespace?: string, storageType?: string): object[] {
  const patch: object[] = [];
  const annotations = devWorkspace.metadata.annotations;
  if (!annotations) {
    patch.push({ op: 'add', path: '/metadata/annotations', value: {} });
  }
  patch.push({
    op: annotations && ANNOTATION_LAST_UPDATED in annotations ? 'replace' : 'add',
    path: `/metadata/annotations/${pointer(ANNOTATION_LAST_UPDATED)}`,
    value: now.toISOString(),
  });
  // The dashboard's managePvcStrategy at every start, so older workspaces get them too: Che's
  // operator config, and Che's pvcStrategy when the workspace names no storage type.
  const template = (devWorkspace.spec as { template?: { attributes?: Record<string, unknown> } }).template;
  const attributes: Record<string, unknown> = {};
  if (cheNamespace) attributes[DEVWORKSPACE_CONFIG_ATTRIBUTE] = devWorkspaceConfigRef(cheNamespace);
  if (storageType && !template?.attributes?.[STORAGE_TYPE_ATTRIBUTE]) attributes[STORAGE_TYPE_ATTRIBUTE] = storageType;
  if (Object.keys(attributes).length > 0) {
    if (!template) patch.push({ op: 'add', path: '/spec/template', value: {} });
    if (!template?.attributes) patch.push({ op: 'add', path: '/spec/template/attributes', value: {} });
    for (const [key, value] of Object.entries(attributes)) {
      patch.push({ op: 'add', path: `/spec/template/attributes/${pointer(key)}`, value });
    }
  }
  patch.push({ op: 'replace', path: '/spec/started', value: true });
  return patch;
}

/** The dashboard's stop patch: only `spec.started = false`. */
export function stopPatch(): object[] {
  return [{ op: 'replace', path: '/spec/started', value: false }];
}
