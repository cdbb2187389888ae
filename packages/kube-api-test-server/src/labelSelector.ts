/**
 * Kubernetes label selectors as sent in `?labelSelector=`: `k=v`, `k==v`, `k!=v`,
 * `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; requirements joined by `,` must all match.
 */
import { labelKeyErrors, labelValueErrors } from './labels';
import { badRequest } from './status';

export type Requirement =
  | { key: string; op: 'exists' | 'notExists' }
  | { key: string; op: 'equals' | 'notEquals'; value: string }
  | { key: string; op: 'in' | 'notIn'; values: string[] };

export type LabelSelector = Requirement[];

const KEY = '([A-Za-z0-9][-A-Za-z0-9_./]*)';
const NOT_EXISTS = new RegExp(`^!\\s*${KEY}$`);
const EXISTS = new RegExp(`^${KEY}$`);
const EQUALITY = new RegExp(`^${KEY}\\s*(==|=|!=)\\s*([^\\s=!(),]*)$`);
const SET = new RegExp(`^${KEY}\\s+(in|notin)\\s*\\(([^()]*)\\)$`);

function fail(requirement: string, why: string): never {
  throw badRequest(`unable to parse requirement: ${requirement}: ${why}`);
}

/** Splits on commas outside parentheses; throws on unbalanced parentheses. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0 || depth > 1) fail(selector, 'unbalanced parentheses');
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (depth !== 0) fail(selector, 'unbalanced parentheses');
  parts.push(current.trim());
  return parts;
}

function checkKey(requirement: string, key: string): string {
  const errors = labelKeyErrors(key);
  if (errors.length) fail(requirement, `invalid label key "${key}": ${errors.join('; ')}`);
  return key;
}

function checkValue(requirement: string, value: string): string {
  const errors = labelValueErrors(value);
  if (errors.length) fail(requirement, `invalid label value: "${value}": ${errors.join('; ')}`);
  return value;
}

/** Parses a selector string; the empty string selects everything. Throws a 400 Status on bad syntax. */
export function parseLabelSelector(selector: string): LabelSelector {
  if (selector.trim() === '') return [];
  return splitRequirements(selector).map((raw): Requirement => {
    if (raw === '') fail(selector, 'found empty requirement');
    let m = NOT_EXISTS.exec(raw);
    if (m) return { key: checkKey(raw, m[1]), op: 'notExists' };
    m = SET.exec(raw);
    if (m) {
      const values = m[3].split(',').map(v => v.trim());
      if (m[3].trim() === '') fail(raw, `for 'in', 'notin' operators, values set can't be empty`);
      return { key: checkKey(raw, m[1]), op: m[2] === 'in' ? 'in' : 'notIn', values: values.map(v => checkValue(raw, v)) };
    }
    m = EQUALITY.exec(raw);
    if (m) {
      return { key: checkKey(raw, m[1]), op: m[2] === '!=' ? 'notEquals' : 'equals', value: checkValue(raw, m[3]) };
    }
    m = EXISTS.exec(raw);
    if (m) return { key: checkKey(raw, m[1]), op: 'exists' };
    return fail(raw, 'expected a key, `!key`, `key=value`, `key!=value`, `key in (...)` or `key notin (...)`');
  });
}

/** Whether labels satisfy every requirement. */
export function matchesLabelSelector(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return selector.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists': return has;
      case 'notExists': return !has;
      case 'equals': return has && l[r.key] === r.value;
      case 'notEquals': return !has || l[r.key] !== r.value;
      case 'in': return has && r.values.includes(l[r.key]);
      case 'notIn': return !has || !r.values.includes(l[r.key]);
      default: return false;
    }
  });
}
