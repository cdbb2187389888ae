import { LABEL_CREATING, LABEL_MANAGED_BY, MANAGED_BY } from './constants';
import { ownerOf } from './toWorkspace';
import { DevWorkspace } from './types';

/** Made by the plugin and carrying an owner. */
export function isManaged(devWorkspace: DevWorkspace): boolean {
  return (
    devWorkspace.metadata.labels?.[LABEL_MANAGED_BY] === MANAGED_BY &&
    typeof ownerOf(devWorkspace) === 'string'
  );
}

/** Left by a create that has not (or never) completed; see OrphanCleaner. */
export function isBeingCreated(devWorkspace: DevWorkspace): boolean {
  return devWorkspace.metadata.labels?.[LABEL_CREATING] !== undefined;
}

/**
 * A deleted DevWorkspace leaves the API at once, unless DWO reports it stuck in Error while
 * finalizing (e.g. storage clean-up failed): Che still shows it, so the plugin does too, and
 * another DELETE is accepted rather than a 404.
 */
export function isGoneForCallers(devWorkspace: DevWorkspace): boolean {
  return Boolean(devWorkspace.metadata.deletionTimestamp) && devWorkspace.status?.phase !== 'Error';
}
