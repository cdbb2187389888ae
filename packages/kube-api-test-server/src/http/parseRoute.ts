/** Maps a request path onto the Kubernetes REST layout. */
import { configMapResource, namespaceResource, ResourceDefinition } from '../resources';

export type Route =
  | { type: 'version' }
  | { type: 'coreVersions' }
  | { type: 'groupList' }
  | { type: 'group'; group: string }
  | { type: 'resourceList'; group: string; version: string }
  | { type: 'collection'; resource: ResourceDefinition; namespace?: string }
  | { type: 'object'; resource: ResourceDefinition; namespace?: string; name: string; subresource?: 'status' };

function segments(path: string): string[] | undefined {
  try {
    return path.split('/').filter(s => s !== '').map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** Returns undefined for paths the server does not serve (404). */
export function parseRoute(path: string, resources: ResourceDefinition[]): Route | undefined {
  const s = segments(path);
  if (!s) return undefined;
  const find = (group: string, version: string, plural: string) =>
    resources.find(r => r.group === group && r.version === version && r.plural === plural);

  if (s.length === 1 && s[0] === 'version') return { type: 'version' };
  if (s[0] === 'api') {
    if (s.length === 1) return { type: 'coreVersions' };
    if (s[1] !== 'v1') return undefined;
    if (s.length === 2) return { type: 'resourceList', group: '', version: 'v1' };
    if (s.length === 3 && s[2] === 'configmaps') return { type: 'collection', resource: configMapResource };
    if (s[2] !== 'namespaces') return undefined;
    if (s.length === 3) return { type: 'collection', resource: namespaceResource };
    if (s.length === 4) return { type: 'object', resource: namespaceResource, name: s[3] };
    if (s.length === 5 && s[4] === 'status') return { type: 'object', resource: namespaceResource, name: s[3], subresource: 'status' };
    if (s[4] !== 'configmaps') return undefined;
    if (s.length === 5) return { type: 'collection', resource: configMapResource, namespace: s[3] };
    if (s.length === 6) return { type: 'object', resource: configMapResource, namespace: s[3], name: s[5] };
    return undefined;
  }
  if (s[0] !== 'apis') return undefined;
  if (s.length === 1) return { type: 'groupList' };
  const [, group, version] = s;
  if (!resources.some(r => r.group === group)) return undefined;
  if (s.length === 2) return { type: 'group', group };
  if (!resources.some(r => r.group === group && r.version === version)) return undefined;
  if (s.length === 3) return { type: 'resourceList', group, version };
  if (s.length === 4) {
    const r = find(group, version, s[3]);
    return r ? { type: 'collection', resource: r } : undefined;
  }
  if (s[3] !== 'namespaces' || s.length < 6) return undefined;
  const namespace = s[4];
  const r = find(group, version, s[5]);
  if (!r || !r.namespaced) return undefined;
  if (s.length === 6) return { type: 'collection', resource: r, namespace };
  if (s.length === 7) return { type: 'object', resource: r, namespace, name: s[6] };
  if (s.length === 8 && s[7] === 'status' && r.statusSubresource) {
    return { type: 'object', resource: r, namespace, name: s[6], subresource: 'status' };
  }
  return undefined;
}
