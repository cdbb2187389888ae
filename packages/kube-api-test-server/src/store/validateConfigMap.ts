/** ConfigMap validation as the API server does it: decoding (400) and field checks (422). */
import { isPlainObject } from '../patch/jsonClone';
import { KubeObject } from '../resources';
import { badRequest } from '../status';
import { FieldError } from './validateMetadata';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
/** Kubernetes' limit on a ConfigMap's data and binaryData together. */
export const MAX_CONFIG_MAP_SIZE = 1024 * 1024;

function goType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** Throws 400 for a body that does not decode as a ConfigMap (a data value that is no string). */
export function assertConfigMapDecodes(obj: KubeObject): void {
  for (const field of ['data', 'binaryData'] as const) {
    const map = obj[field];
    if (map === undefined || map === null) continue;
    const values = isPlainObject(map) ? Object.values(map) : [map];
    const wrong = isPlainObject(map) ? values.find(v => typeof v !== 'string') : map;
    if (wrong !== undefined || !isPlainObject(map)) {
      throw badRequest(
        `ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal ${goType(wrong)} into Go struct field ConfigMap.${field} of type ${isPlainObject(map) ? 'string' : `map[string]${field === 'data' ? 'string' : '[]uint8'}`}`,
      );
    }
  }
}

export function configMapErrors(obj: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const data = (obj.data ?? {}) as Record<string, string>;
  const binary = (obj.binaryData ?? {}) as Record<string, string>;
  let size = 0;
  for (const [field, map] of [['data', data], ['binaryData', binary]] as const) {
    for (const [key, value] of Object.entries(map)) {
      size += Buffer.byteLength(key) + Buffer.byteLength(value);
      if (!CONFIG_KEY.test(key) || key.length > 253) {
        errors.push({
          field: `${field}[${key}]`,
          message: `Invalid value: ${JSON.stringify(key)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
        });
      }
      if (field === 'binaryData' && key in data) {
        errors.push({ field: `binaryData[${key}]`, message: `Invalid value: ${JSON.stringify(key)}: duplicate of key present in data` });
      }
    }
  }
  if (size > MAX_CONFIG_MAP_SIZE) {
    errors.push({ field: '[]', message: `Too long: must have at most ${MAX_CONFIG_MAP_SIZE} bytes`, reason: 'FieldValueTooLong' });
  }
  return errors;
}
