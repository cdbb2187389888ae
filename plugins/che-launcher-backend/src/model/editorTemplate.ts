/**
 * The editor's DevWorkspaceTemplate as the Che dashboard writes it: Che's update-policy
 * annotations and the URLs the IDE links back to, in every editor container's environment.
 */

/** Che editor definition of a DevWorkspaceTemplate: the dashboard refreshes managed ones at start. */
export const ANNOTATION_COMPONENTS_UPDATE_POLICY = 'che.eclipse.org/components-update-policy';
/** Where the dashboard looks the editor up again: the editor id (Che 7.89) or an editor URL. */
export const ANNOTATION_PLUGIN_REGISTRY_URL = 'che.eclipse.org/plugin-registry-url';

/** The Che URLs put into editor containers (empty ones are left out). */
export interface EditorUrls {
  /** The dashboard's origin (`CHE_DASHBOARD_URL`). */
  dashboardUrl?: string;
  pluginRegistryUrl?: string;
  pluginRegistryInternalUrl?: string;
  openVSXUrl?: string;
}

export const ENV_DASHBOARD_URL = 'CHE_DASHBOARD_URL';
export const ENV_PLUGIN_REGISTRY_URL = 'CHE_PLUGIN_REGISTRY_URL';
export const ENV_PLUGIN_REGISTRY_INTERNAL_URL = 'CHE_PLUGIN_REGISTRY_INTERNAL_URL';
export const ENV_OPENVSX_REGISTRY_URL = 'OPENVSX_REGISTRY_URL';
/** The dashboard also owns these two (cluster console link); it drops stale values of them. */
const DASHBOARD_OWNED_ENV = [
  ENV_DASHBOARD_URL,
  ENV_PLUGIN_REGISTRY_URL,
  ENV_PLUGIN_REGISTRY_INTERNAL_URL,
  'CLUSTER_CONSOLE_URL',
  'CLUSTER_CONSOLE_TITLE',
  ENV_OPENVSX_REGISTRY_URL,
];

/** Che's main editor-devfile API; Che ≥ 7.9x writes the annotation in this form. */
const EDITOR_DEVFILE_API_QUERY = 'http://127.0.0.1:8080/dashboard/api/editors/devfile?che-editor=';
const PLUGIN_REGISTRY_EDITOR = /plugin-registry\/v3\/plugins\/(.+?)\/devfile\.yaml$/;

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/** `publisher/name/version`, as Che identifies an editor definition; undefined when incomplete. */
export function editorIdOf(editorDevfile: Json): string | undefined {
  const metadata = asRecord(editorDevfile.metadata);
  const attributes = asRecord(metadata.attributes);
  const parts = [attributes.publisher, metadata.name, attributes.version];
  return parts.every(p => typeof p === 'string' || typeof p === 'number') ? parts.join('/') : undefined;
}

/** The annotations the dashboard puts on an editor template it manages. */
export function editorTemplateAnnotations(editorId: string): Record<string, string> {
  return { [ANNOTATION_COMPONENTS_UPDATE_POLICY]: 'managed', [ANNOTATION_PLUGIN_REGISTRY_URL]: editorId };
}

/**
 * The editor id a managed template refers to (any of the forms Che has written), or undefined
 * when the template is not managed, as the dashboard's update check decides.
 */
export function managedEditorIdOf(annotations: Record<string, string> | undefined): string | undefined {
  const reference = annotations?.[ANNOTATION_PLUGIN_REGISTRY_URL];
  if (!reference || annotations?.[ANNOTATION_COMPONENTS_UPDATE_POLICY] !== 'managed') return undefined;
  if (reference.startsWith(EDITOR_DEVFILE_API_QUERY)) return reference.slice(EDITOR_DEVFILE_API_QUERY.length);
  if (/^https?:\/\//.test(reference)) return PLUGIN_REGISTRY_EDITOR.exec(reference)?.[1];
  return reference;
}

/**
 * Components with the dashboard's environment in each container: its own variables removed,
 * then CHE_DASHBOARD_URL, CHE_PLUGIN_REGISTRY_URL, CHE_PLUGIN_REGISTRY_INTERNAL_URL and
 * OPENVSX_REGISTRY_URL appended in that order (each only when configured).
 */
export function withEditorEnv(components: unknown, urls: EditorUrls): unknown {
  if (!Array.isArray(components)) return components;
  const added = [
    [ENV_DASHBOARD_URL, urls.dashboardUrl],
    [ENV_PLUGIN_REGISTRY_URL, urls.pluginRegistryUrl],
    [ENV_PLUGIN_REGISTRY_INTERNAL_URL, urls.pluginRegistryInternalUrl],
    [ENV_OPENVSX_REGISTRY_URL, urls.openVSXUrl],
  ]
    .filter((pair): pair is [string, string] => typeof pair[1] === 'string' && pair[1] !== '')
    .map(([name, value]) => ({ name, value }));
  return components.map(component => {
    const container = asRecord(component).container;
    if (!container || typeof container !== 'object') return component;
    const own = (container as Json).env;
    const kept = (Array.isArray(own) ? own : []).filter(e => !DASHBOARD_OWNED_ENV.includes(String(asRecord(e).name)));
    const env = [...kept, ...added];
    if (env.length === 0 && own === undefined) return component;
    return { ...(component as Json), container: { ...(container as Json), env } };
  });
}

/** The editor devfile as a DevWorkspaceTemplate spec: minus schemaVersion/metadata, env added. */
export function editorTemplateSpec(editorDevfile: Json, urls: EditorUrls): Json {
  const { schemaVersion: _schemaVersion, metadata: _metadata, ...spec } = structuredClone(editorDevfile);
  if (spec.components !== undefined) spec.components = withEditorEnv(spec.components, urls);
  return spec;
}

/**
 * The spec the dashboard's update check compares a managed template with at start: the same
 * as at create, with `sourceMapping: /projects` (the CRD default) on containers that lack it.
 */
export function refreshedEditorTemplateSpec(editorDevfile: Json, urls: EditorUrls): Json {
  const copy = structuredClone(editorDevfile);
  if (Array.isArray(copy.components)) {
    copy.components = copy.components.map(component => {
      const container = asRecord(component).container;
      if (!container || typeof container !== 'object' || 'sourceMapping' in container) return component;
      return { ...(component as Json), container: { ...(container as Json), sourceMapping: '/projects' } };
    });
  }
  return editorTemplateSpec(copy, urls);
}

/**
 * The dashboard's start (`managePvcStrategy`): components of the workspace itself whose
 * `OPENVSX_REGISTRY_URL` differs from Che's current one get it, in one replace of the components.
 */
export function openVSXUrlPatch(template: Json | undefined, openVSXUrl: string | undefined): object[] {
  if (!openVSXUrl || !Array.isArray(template?.components)) return [];
  let changed = false;
  const components = structuredClone(template.components).map((component: unknown) => {
    const env = asRecord(asRecord(component).container).env;
    if (!Array.isArray(env)) return component;
    for (const variable of env) {
      const v = asRecord(variable);
      if (v.name === ENV_OPENVSX_REGISTRY_URL && v.value !== openVSXUrl) {
        v.value = openVSXUrl;
        changed = true;
      }
    }
    return component;
  });
  return changed ? [{ op: 'replace', path: '/spec/template/components', value: components }] : [];
}
