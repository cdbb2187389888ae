/**
 * A Kubernetes API server for tests: namespaced custom resources, label selectors, JSON and
 * merge patches, finalizers, garbage collection, fault injection and a DevWorkspace controller simulator.
 *
 * @packageDocumentation
 */
export { KubeApiTestServer } from './KubeApiTestServer';
export type { DenyRule, KubeApiTestServerOptions, ObjectQuery, RecordedRequest } from './KubeApiTestServer';
export { DevWorkspaceControllerSimulator, DEVWORKSPACE_FINALIZER } from './controller/DevWorkspaceControllerSimulator';
export type { DevWorkspaceControllerOptions } from './controller/DevWorkspaceControllerSimulator';
export { FaultInjector } from './faults';
export type { Fault, FaultMatch } from './faults';
export type { WatchOptions } from './http/watch';
export {
  devWorkspaceResources,
  devWorkspaceResource,
  devWorkspaceTemplateResource,
  namespaceResource,
} from './resources';
export type { KubeObject, ObjectMeta, OwnerReference, ResourceDefinition } from './resources';
export type { KubeConfigOptions } from './kubeConfig';
export { parseLabelSelector, matchesLabelSelector } from './labelSelector';
export { applyJsonPatch, JsonPatchError } from './patch/jsonPatch';
export { applyMergePatch } from './patch/mergePatch';
export { KubeStatusError } from './status';
export type { KubeStatus, StatusReason } from './status';
