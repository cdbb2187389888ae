import { ValidationDetail, ValidationError } from '@fawkes/plugin-api-guard-node';

/** The query of `GET /entities` as the caller wrote it: the core route parses the same strings. */
export interface EntitiesQuery {
  filter?: string[];
  fields?: string[];
}

/** A query-string value as Express parses it: absent, a string, a list, or a nested object. */
type QueryValue = unknown;

function strings(value: QueryValue, name: string, problems: ValidationDetail[]): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every(v => typeof v === 'string')) {
    problems.push({ path: `query.${name}`, message: `Invalid ${name}: expected ${name}=... as plain query parameters` });
    return undefined;
  }
  return list as string[];
}

/**
 * The core catalog's filter syntax (comma-separated `key=value` or bare `key` statements;
 * empty statements are ignored, as the catalog does), checked so that a malformed filter is
 * a 400 with the document's message rather than the catalog's.
 */
function checkFilter(filters: string[], problems: ValidationDetail[]): void {
  for (const filter of filters) {
    for (const statement of filter.split(',').map(s => s.trim()).filter(Boolean)) {
      const equals = statement.indexOf('=');
      const key = (equals === -1 ? statement : statement.slice(0, equals)).trim();
      if (!key) {
        problems.push({ path: 'query.filter', message: `Invalid filter: '${statement}' is not a statement of the form key=value or key` });
      } else if (/\s/.test(key)) {
        problems.push({ path: 'query.filter', message: `Invalid filter: the key '${key}' contains whitespace` });
      }
    }
  }
}

/** `fields`: comma-separated (or repeated) dot paths; array paths are not supported. */
function checkFields(list: string[], problems: ValidationDetail[]): void {
  const fields = [...new Set(list.flatMap(s => s.split(',')).map(s => s.trim()).filter(Boolean))];
  if (!fields.length) {
    problems.push({ path: 'query.fields', message: 'Invalid fields: expected a comma-separated list of dot paths' });
  }
  for (const field of fields) {
    if (field.includes('[') || field.includes(']')) {
      problems.push({ path: 'query.fields', message: `Invalid field "${field}", array type fields are not supported` });
    } else if (/\s/.test(field) || field.startsWith('.') || field.endsWith('.') || field.includes('..')) {
      problems.push({ path: 'query.fields', message: `Invalid field "${field}", expected a dot path such as metadata.name` });
    }
  }
}

/**
 * The rules of `filter` and `fields` the OpenAPI document cannot express. Every problem of
 * both parameters is reported: the first as the message, all of them in `details`.
 */
export function checkEntitiesQuery(query: { filter?: QueryValue; fields?: QueryValue }): EntitiesQuery {
  const problems: ValidationDetail[] = [];
  const filter = strings(query.filter, 'filter', problems);
  const fields = strings(query.fields, 'fields', problems);
  if (filter) checkFilter(filter, problems);
  if (fields) checkFields(fields, problems);
  if (problems.length) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more, see details)` : '';
    throw new ValidationError(`${problems[0].message}${more}`, problems);
  }
  return { filter, fields };
}
