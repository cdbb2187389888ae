/** Discovery documents: /version, /api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version>. */
import { apiVersionOf, coreResources, ResourceDefinition } from '../resources';

export function versionInfo() {
  return {
    major: '1',
    minor: '31',
    gitVersion: 'v1.31.0+kube-api-test-server',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.22.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function coreVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupVersions(resources: ResourceDefinition[], group: string) {
  const versions = [...new Set(resources.filter(r => r.group === group).map(r => r.version))];
  const list = versions.map(version => ({ groupVersion: apiVersionOf({ group, version }), version }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

export function groupList(resources: ResourceDefinition[]) {
  const groups = [...new Set(resources.map(r => r.group).filter(g => g !== ''))];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(g => groupVersions(resources, g)) };
}

export function apiGroup(resources: ResourceDefinition[], group: string) {
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupVersions(resources, group) };
}

export function resourceList(resources: ResourceDefinition[], group: string, version: string) {
  const served = group === '' ? coreResources : resources.filter(r => r.group === group && r.version === version);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: served.flatMap(r => [
      {
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      },
      ...(r.statusSubresource
        ? [{ name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] }]
        : []),
    ]),
  };
}
