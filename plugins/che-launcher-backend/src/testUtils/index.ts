/**
 * For tests and benchmarks outside this package that must build DevWorkspaces exactly as
 * che-launcher does (its labels, annotations and owner hash) and select them as it does.
 * Not part of the plugin's API.
 *
 * @packageDocumentation
 */
export { buildDevWorkspace, startPatch } from '../model/buildDevWorkspace';
export { LABEL_CREATING, LABEL_OWNER, MANAGED_SELECTOR } from '../model/constants';
export { defaultEditorId, defaultEditorTemplate } from '../model/defaultEditor';
export { ownerLabelValue, userNamespace } from '../model/names';
export { parseDevfile } from '../services/devfile/parseDevfile';
