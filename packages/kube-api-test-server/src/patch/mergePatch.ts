/** RFC 7386 JSON Merge Patch: objects merge recursively, `null` deletes, everything else replaces. */
import { isPlainObject, jsonClone } from './jsonClone';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return jsonClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? jsonClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}
