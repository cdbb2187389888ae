/** RFC 6902 JSON Patch (add, remove, replace, move, copy, test) over RFC 6901 JSON Pointers. */
import { isPlainObject, jsonClone, jsonEqual } from './jsonClone';

export class JsonPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

type Container = Record<string, unknown> | unknown[];

function parsePointer(pointer: unknown): string[] {
  if (typeof pointer !== 'string') throw new JsonPatchError('path must be a string');
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map(t => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(arr: unknown[], token: string, forInsert: boolean, path: string): number {
  if (forInsert && token === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new JsonPatchError(`invalid array index "${token}" in "${path}"`);
  const i = Number(token);
  if (i > arr.length || (!forInsert && i === arr.length)) {
    throw new JsonPatchError(`array index ${i} out of bounds in "${path}"`);
  }
  return i;
}

/** Follows all tokens but the last and returns the parent container and last token. */
function resolveParent(doc: unknown, tokens: string[], path: string): { parent: Container; key: string } {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, false, path)];
    else if (isPlainObject(node) && Object.prototype.hasOwnProperty.call(node, token)) node = node[token];
    else throw new JsonPatchError(`path "${path}" does not exist`);
  }
  if (!Array.isArray(node) && !isPlainObject(node)) throw new JsonPatchError(`path "${path}" does not exist`);
  return { parent: node, key: tokens[tokens.length - 1] };
}

function getValue(doc: unknown, path: string): unknown {
  let node = doc;
  for (const token of parsePointer(path)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, false, path)];
    else if (isPlainObject(node) && Object.prototype.hasOwnProperty.call(node, token)) node = node[token];
    else throw new JsonPatchError(`path "${path}" does not exist`);
  }
  return node;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = resolveParent(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, path), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: unknown, path: string): { doc: unknown; removed: unknown } {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return { doc: null, removed: doc };
  const { parent, key } = resolveParent(doc, tokens, path);
  if (Array.isArray(parent)) {
    const [removed] = parent.splice(arrayIndex(parent, key, false, path), 1);
    return { doc, removed };
  }
  if (!Object.prototype.hasOwnProperty.call(parent, key)) throw new JsonPatchError(`path "${path}" does not exist`);
  const removed = parent[key];
  delete parent[key];
  return { doc, removed };
}

function replace(doc: unknown, path: string, value: unknown): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  getValue(doc, path);
  const { parent, key } = resolveParent(doc, tokens, path);
  if (Array.isArray(parent)) parent[arrayIndex(parent, key, false, path)] = value;
  else parent[key] = value;
  return doc;
}

/** Applies the operations to a copy of `document`; throws JsonPatchError when any operation fails. */
export function applyJsonPatch(document: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new JsonPatchError('a JSON patch must be an array of operations');
  let doc = jsonClone(document);
  operations.forEach((raw, index) => {
    if (!isPlainObject(raw)) throw new JsonPatchError(`operation ${index} is not an object`);
    const op = raw as { op?: unknown; path?: unknown; from?: unknown; value?: unknown };
    const path = op.path as string;
    parsePointer(path);
    const needsValue = op.op === 'add' || op.op === 'replace' || op.op === 'test';
    if (needsValue && !Object.prototype.hasOwnProperty.call(op, 'value')) {
      throw new JsonPatchError(`operation ${index} (${String(op.op)}) is missing "value"`);
    }
    switch (op.op) {
      case 'add':
        doc = add(doc, path, jsonClone(op.value));
        break;
      case 'remove':
        doc = remove(doc, path).doc;
        break;
      case 'replace':
        doc = replace(doc, path, jsonClone(op.value));
        break;
      case 'move': {
        const from = op.from as string;
        parsePointer(from);
        if (path.startsWith(`${from}/`)) throw new JsonPatchError(`cannot move "${from}" into its own child "${path}"`);
        const r = remove(doc, from);
        doc = add(r.doc, path, r.removed);
        break;
      }
      case 'copy': {
        const from = op.from as string;
        doc = add(doc, path, jsonClone(getValue(doc, from)));
        break;
      }
      case 'test':
        if (!jsonEqual(getValue(doc, path), op.value)) {
          throw new JsonPatchError(`testing value ${path} failed`);
        }
        break;
      default:
        throw new JsonPatchError(`unexpected kind of operation "${String(op.op)}"`);
    }
  });
  return doc;
}
