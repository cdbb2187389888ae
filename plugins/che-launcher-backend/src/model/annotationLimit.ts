import { PayloadTooLargeError } from '@fawkes/plugin-api-guard-node';
import { DevWorkspace } from './types';

/** Kubernetes' limit on all annotations of one object (keys and values), in bytes. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/**
 * The devfile travels in the `che.eclipse.org/devfile` annotation: one too large for Kubernetes'
 * total annotation limit is a 413 here, never a 422 from the cluster.
 */
export function assertAnnotationsFit(devWorkspace: DevWorkspace): void {
  let total = 0;
  for (const [key, value] of Object.entries(devWorkspace.metadata.annotations ?? {})) {
    total += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
    throw new PayloadTooLargeError(
      `The devfile is too large to store in the DevWorkspace: its annotations would take ${total} bytes, Kubernetes allows ${TOTAL_ANNOTATION_SIZE_LIMIT}`,
    );
  }
}
