/** Deep merge of devfile attributes, as Che's devworkspace generator does it. */

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** lodash `merge`, as the generator uses it: objects and arrays merged deeply, `source` wins. */
export function mergeDeep(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const current = merged[key];
    if (isPlainObject(value)) {
      merged[key] = mergeDeep(isPlainObject(current) ? current : {}, value);
    } else if (Array.isArray(value)) {
      const base = Array.isArray(current) ? [...current] : [];
      value.forEach((item, i) => {
        if (item === undefined) return;
        base[i] = isPlainObject(item) ? mergeDeep(isPlainObject(base[i]) ? (base[i] as Record<string, unknown>) : {}, item) : item;
      });
      merged[key] = base;
    } else {
      merged[key] = value;
    }
  }
  return merged;
}
