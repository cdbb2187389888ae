/**
 * The defaults the devfile/devworkspace-operator CRDs declare in their structural schemas, which
 * the API server writes into every DevWorkspace and DevWorkspaceTemplate it stores (on create
 * and update): `container.sourceMapping: /projects`, and `exposure: public`, `protocol: http` on
 * the endpoints of container, kubernetes and openshift components. Parent and plugin overrides
 * declare none.
 */
import { isPlainObject } from './patch/jsonClone';
import type { KubeObject } from './resources';

function defaultEndpoints(holder: Record<string, unknown>): void {
  if (!Array.isArray(holder.endpoints)) return;
  for (const endpoint of holder.endpoints) {
    if (!isPlainObject(endpoint)) continue;
    endpoint.exposure ??= 'public';
    endpoint.protocol ??= 'http';
  }
}

function defaultComponents(components: unknown): void {
  if (!Array.isArray(components)) return;
  for (const component of components) {
    if (!isPlainObject(component)) continue;
    if (isPlainObject(component.container)) {
      component.container.sourceMapping ??= '/projects';
      defaultEndpoints(component.container);
    }
    for (const kind of ['kubernetes', 'openshift'] as const) {
      if (isPlainObject(component[kind])) defaultEndpoints(component[kind] as Record<string, unknown>);
    }
  }
}

/** DevWorkspace: `spec.template.components`. */
export function applyDevWorkspaceDefaults(obj: KubeObject): void {
  const spec = obj.spec;
  if (isPlainObject(spec) && isPlainObject(spec.template)) defaultComponents(spec.template.components);
}

/** DevWorkspaceTemplate: `spec.components`. */
export function applyDevWorkspaceTemplateDefaults(obj: KubeObject): void {
  if (isPlainObject(obj.spec)) defaultComponents(obj.spec.components);
}
