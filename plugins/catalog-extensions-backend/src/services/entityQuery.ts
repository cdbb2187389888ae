import { CATALOG_FILTER_EXISTS, EntityFilterQuery } from '@backstage/catalog-client';
import { InputError } from '@backstage/errors';

type FilterRecord = Record<string, string | symbol | (string | symbol)[]>;

/** A query-string value as Express parses it: a string, a list, or a nested object. */
type QueryValue = unknown;

function strings(value: QueryValue, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every(v => typeof v === 'string')) {
    throw new InputError(`Invalid ${name}: expected ${name}=... as plain query parameters`);
  }
  return list as string[];
}

/**
 * Parses `filter` with the core catalog's semantics: within one parameter, comma-separated
 * `key=value` statements are AND'ed and a repeated key OR's its values; a bare `key` means
 * "has this field"; several `filter` parameters are OR'ed. Matching is left to the catalog,
 * which compares case-insensitively.
 */
export function parseEntityFilter(value: QueryValue): EntityFilterQuery | undefined {
  const filterStrings = strings(value, 'filter');
  if (!filterStrings) return undefined;
  const filters: FilterRecord[] = [];
  for (const filterString of filterStrings) {
    const statements = filterString.split(',').map(s => s.trim()).filter(Boolean);
    if (!statements.length) continue; // ignored, as the core catalog does
    const byKey = new Map<string, Array<string | symbol>>();
    for (const statement of statements) {
      const equals = statement.indexOf('=');
      const key = (equals === -1 ? statement : statement.slice(0, equals)).trim();
      if (!key) {
        throw new InputError(`Invalid filter: '${statement}' is not a statement of the form key=value or key`);
      }
      if (/\s/.test(key)) {
        throw new InputError(`Invalid filter: the key '${key}' contains whitespace`);
      }
      const values = byKey.get(key) ?? [];
      values.push(equals === -1 ? CATALOG_FILTER_EXISTS : statement.slice(equals + 1).trim());
      byKey.set(key, values);
    }
    filters.push(
      Object.fromEntries(
        [...byKey].map(([key, values]) => [key, values.length === 1 ? values[0] : values]),
      ),
    );
  }
  if (!filters.length) return undefined;
  return filters.length === 1 ? filters[0] : filters;
}

/** Parses `fields`: comma-separated (or repeated) dot paths; array paths are not supported. */
export function parseEntityFields(value: QueryValue): string[] | undefined {
  const list = strings(value, 'fields');
  if (!list) return undefined;
  const fields = [...new Set(list.flatMap(s => s.split(',')).map(s => s.trim()).filter(Boolean))];
  if (!fields.length) {
    throw new InputError('Invalid fields: expected a comma-separated list of dot paths');
  }
  for (const field of fields) {
    if (field.includes('[') || field.includes(']')) {
      throw new InputError(`Invalid field "${field}", array type fields are not supported`);
    }
    if (/\s/.test(field) || field.startsWith('.') || field.endsWith('.') || field.includes('..')) {
      throw new InputError(`Invalid field "${field}", expected a dot path such as metadata.name`);
    }
  }
  return fields;
}
