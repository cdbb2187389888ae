export const DEVWORKSPACE_GROUP = 'workspace.devfile.io';
export const DEVWORKSPACE_VERSION = 'v1alpha2';
export const DEVWORKSPACE_API_VERSION = `${DEVWORKSPACE_GROUP}/${DEVWORKSPACE_VERSION}`;
export const DEVWORKSPACE_PLURAL = 'devworkspaces';
export const DEVWORKSPACE_TEMPLATE_PLURAL = 'devworkspacetemplates';

// Che's annotations (as the Che dashboard sets them).
export const ANNOTATION_DEVFILE = 'che.eclipse.org/devfile';
export const ANNOTATION_DEVFILE_SOURCE = 'che.eclipse.org/devfile-source';
export const ANNOTATION_CHE_EDITOR = 'che.eclipse.org/che-editor';
export const ANNOTATION_LAST_UPDATED = 'che.eclipse.org/last-updated-timestamp';

// The DWO webhook overwrites `controller.devfile.io/creator` with the service account's UID,
// so the plugin keeps its own owner marker: the entity ref in an annotation, a hash in a label.
export const ANNOTATION_OWNER = 'che-launcher.fawkes.io/owner';
/** @public */
export const LABEL_OWNER = 'che-launcher.fawkes.io/owner-hash';
export const ANNOTATION_DEVFILE_NAME = 'che-launcher.fawkes.io/devfile-name';
export const ANNOTATION_DEVFILE_VERSION = 'che-launcher.fawkes.io/devfile-version';
/** The catalog entity a workspace was opened for (`POST /workspaces {"entityRef"}`). */
export const ANNOTATION_ENTITY_REF = 'che-launcher.fawkes.io/entity-ref';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/**
 * Set on a DevWorkspace from its creation until the create's start patch removes it: one that
 * keeps it was left by a create that failed and could not roll back (OrphanCleaner sweeps them).
 *
 * @public
 */
export const LABEL_CREATING = 'che-launcher.fawkes.io/creating';
export const MANAGED_BY = 'backstage-che-launcher';
/** Read only by DWO's metrics ("source" dimension); Che itself leaves it unset. */
export const LABEL_DEVWORKSPACE_SOURCE = 'controller.devfile.io/devworkspace-source';
export const DEVWORKSPACE_SOURCE = 'backstage';

/**
 * Label selector of every DevWorkspace this plugin manages.
 *
 * @public
 */
export const MANAGED_SELECTOR = `${LABEL_MANAGED_BY}=${MANAGED_BY}`;

// Che's user namespaces (che-server's KubernetesNamespaceFactory, as the dashboard relies on).
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const PART_OF_CHE = 'che.eclipse.org';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const COMPONENT_WORKSPACES_NAMESPACE = 'workspaces-namespace';
export const ANNOTATION_CHE_USERNAME = 'che.eclipse.org/username';
/** Selector of Che's user namespaces. */
export const CHE_NAMESPACE_SELECTOR = `${LABEL_PART_OF}=${PART_OF_CHE},${LABEL_COMPONENT}=${COMPONENT_WORKSPACES_NAMESPACE}`;
