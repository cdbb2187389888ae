/** Descriptions of the resource types the server serves (what a CRD would declare). */
import { applyDevWorkspaceDefaults, applyDevWorkspaceTemplateDefaults } from './crdDefaults';

export interface ResourceDefinition {
  group: string; // '' for the core group
  version: string;
  kind: string;
  plural: string;
  singular: string;
  listKind?: string;
  namespaced: boolean;
  shortNames?: string[];
  /** CRD `subresources.status`: main-resource writes keep status; `/status` writes only change status. */
  statusSubresource?: boolean;
  /** Names longer than this are rejected (422), e.g. 63 for DevWorkspaces as the DWO enforces. */
  maxNameLength?: number;
  /** The structural schema's defaults, written into the object on create and update. */
  applyDefaults?: (obj: KubeObject) => void;
}

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
};

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function listKindOf(r: ResourceDefinition): string {
  return r.listKind ?? `${r.kind}List`;
}

export const namespaceResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  statusSubresource: true,
  maxNameLength: 63,
};

/** core/v1 ConfigMaps: a built-in type, served by every API server (not only when listed in `resources`). */
export const configMapResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
};

/** The core/v1 types the server always serves. */
export const coreResources: ResourceDefinition[] = [namespaceResource, configMapResource];

export const devWorkspaceResource: ResourceDefinition = {
  group: 'workspace.devfile.io',
  version: 'v1alpha2',
  kind: 'DevWorkspace',
  plural: 'devworkspaces',
  singular: 'devworkspace',
  namespaced: true,
  shortNames: ['dw'],
  statusSubresource: true,
  maxNameLength: 63,
  applyDefaults: applyDevWorkspaceDefaults,
};

export const devWorkspaceTemplateResource: ResourceDefinition = {
  group: 'workspace.devfile.io',
  version: 'v1alpha2',
  kind: 'DevWorkspaceTemplate',
  plural: 'devworkspacetemplates',
  singular: 'devworkspacetemplate',
  namespaced: true,
  shortNames: ['dwt'],
  applyDefaults: applyDevWorkspaceTemplateDefaults,
};

/** DevWorkspace and DevWorkspaceTemplate (`workspace.devfile.io/v1alpha2`, namespaced). */
export const devWorkspaceResources: ResourceDefinition[] = [devWorkspaceResource, devWorkspaceTemplateResource];
