/** Field validation of `metadata` on create and update (422 Invalid causes). */
import { labelKeyErrors, labelValueErrors } from '../labels';
import { dns1123LabelErrors, dns1123SubdomainErrors } from '../names';
import { isPlainObject } from '../patch/jsonClone';
import { ObjectMeta, ResourceDefinition } from '../resources';

export interface FieldError {
  field: string;
  message: string;
  reason?: string;
}

export function nameErrors(resource: ResourceDefinition, name: string): FieldError[] {
  const messages =
    resource.plural === 'namespaces'
      ? dns1123LabelErrors(name)
      : dns1123SubdomainErrors(name, Math.min(253, resource.maxNameLength ?? 253));
  return messages.map(m => ({ field: 'metadata.name', message: `Invalid value: ${JSON.stringify(name)}: ${m}` }));
}

function stringMapErrors(field: string, value: unknown, checkValues: boolean): FieldError[] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) return [{ field, message: 'Invalid value: must be a map of strings', reason: 'FieldValueTypeInvalid' }];
  const errors: FieldError[] = [];
  for (const [k, v] of Object.entries(value)) {
    for (const m of labelKeyErrors(k)) errors.push({ field, message: `Invalid value: ${JSON.stringify(k)}: ${m}` });
    if (typeof v !== 'string') {
      errors.push({ field: `${field}[${k}]`, message: 'Invalid value: must be a string', reason: 'FieldValueTypeInvalid' });
    } else if (checkValues) {
      for (const m of labelValueErrors(v)) errors.push({ field: `${field}[${k}]`, message: `Invalid value: ${JSON.stringify(v)}: ${m}` });
    }
  }
  return errors;
}

/** Kubernetes' limit on all annotations of an object together (keys and values, in bytes). */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function metadataErrors(meta: ObjectMeta): FieldError[] {
  const errors = [
    ...stringMapErrors('metadata.labels', meta.labels, true),
    ...stringMapErrors('metadata.annotations', meta.annotations, false),
  ];
  if (isPlainObject(meta.annotations)) {
    let total = 0;
    for (const [k, v] of Object.entries(meta.annotations)) {
      total += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
      errors.push({
        field: 'metadata.annotations',
        message: `Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`,
        reason: 'FieldValueTooLong',
      });
    }
  }
  if (meta.finalizers !== undefined) {
    if (!Array.isArray(meta.finalizers) || meta.finalizers.some(f => typeof f !== 'string' || f === '')) {
      errors.push({ field: 'metadata.finalizers', message: 'Invalid value: must be a list of non-empty strings' });
    }
  }
  if (meta.ownerReferences !== undefined) {
    if (!Array.isArray(meta.ownerReferences)) {
      errors.push({ field: 'metadata.ownerReferences', message: 'Invalid value: must be a list' });
    } else {
      meta.ownerReferences.forEach((ref, i) => {
        for (const key of ['apiVersion', 'kind', 'name', 'uid'] as const) {
          if (!isPlainObject(ref) || typeof ref[key] !== 'string' || ref[key] === '') {
            errors.push({ field: `metadata.ownerReferences[${i}].${key}`, message: 'Required value', reason: 'FieldValueRequired' });
          }
        }
      });
    }
  }
  return errors;
}

export { dns1123LabelErrors };
