/** Verbs on collections and objects: list, create, get, replace, patch, delete (and /status). */
import { parseLabelSelector } from '../labelSelector';
import { applyJsonPatch, JsonPatchError } from '../patch/jsonPatch';
import { isPlainObject } from '../patch/jsonClone';
import { applyMergePatch } from '../patch/mergePatch';
import { apiVersionOf, KubeObject, listKindOf, ResourceDefinition } from '../resources';
import { DeleteOptions, ObjectStore } from '../store/ObjectStore';
import { badRequest, KubeStatusError, methodNotAllowed, unsupportedMediaType } from '../status';
import { JSON_PATCH, MERGE_PATCH, mediaType, STRATEGIC_MERGE_PATCH } from './mediaType';
import { Route } from './parseRoute';

export interface ResourceRequest {
  method: string;
  route: Extract<Route, { type: 'collection' | 'object' }>;
  query: URLSearchParams;
  contentType: string | undefined;
  body: Buffer;
}

export interface Answer {
  code: number;
  body: unknown;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw badRequest(`the request body could not be decoded as JSON: ${(e as Error).message}`);
  }
}

function requireJsonBody(req: ResourceRequest): unknown {
  const type = mediaType(req.contentType);
  if (type !== '' && type !== 'application/json') {
    throw unsupportedMediaType(type, ['application/json']);
  }
  return parseJson(req.body);
}

/** Parses `fieldSelector` for metadata.name / metadata.namespace (=, ==, !=). */
export function fieldFilter(selector: string | null): (o: KubeObject) => boolean {
  if (!selector || selector.trim() === '') return () => true;
  const tests = selector.split(',').map(part => {
    const m = /^\s*(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*([^,]*?)\s*$/.exec(part);
    if (!m) throw badRequest(`unable to parse field selector "${selector}": only metadata.name and metadata.namespace are supported`);
    const [, field, op, value] = m;
    return (o: KubeObject) => {
      const actual = field === 'metadata.name' ? o.metadata?.name : o.metadata?.namespace;
      return op === '!=' ? actual !== value : actual === value;
    };
  });
  return o => tests.every(t => t(o));
}

function list(store: ObjectStore, r: ResourceDefinition, namespace: string | undefined, query: URLSearchParams): Answer {
  const selector = parseLabelSelector(query.get('labelSelector') ?? '');
  const byField = fieldFilter(query.get('fieldSelector'));
  const items = store.list(r, namespace, selector).filter(byField);
  return {
    code: 200,
    body: { apiVersion: apiVersionOf(r), kind: listKindOf(r), metadata: { resourceVersion: store.resourceVersion() }, items },
  };
}

function patch(store: ObjectStore, req: ResourceRequest, name: string): Answer {
  const { resource: r, namespace, subresource } = req.route as Extract<Route, { type: 'object' }>;
  const type = mediaType(req.contentType);
  // Built-in types (namespaces) also take strategic merge patches; for their metadata
  // (labels, annotations) that is the same as a merge patch. Custom resources never do.
  const accepted = r.group === '' ? [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH] : [JSON_PATCH, MERGE_PATCH];
  if (!accepted.includes(type)) throw unsupportedMediaType(type, accepted);
  const body = parseJson(req.body);
  const current = store.get(r, namespace, name);
  let patched: unknown;
  try {
    patched = type === JSON_PATCH ? applyJsonPatch(current, body) : applyMergePatch(current, body);
  } catch (e) {
    if (!(e instanceof JsonPatchError)) throw e;
    throw new KubeStatusError(422, 'Invalid', `the server rejected our request due to an error in our request: ${e.message}`, {
      name,
      ...(r.group ? { group: r.group } : {}),
      kind: r.plural,
      causes: [{ reason: 'FieldValueInvalid', message: e.message }],
    });
  }
  if (!isPlainObject(patched)) throw badRequest('the patched object is not a JSON object');
  return { code: 200, body: store.update(r, namespace, name, patched, { subresource }) };
}

function deleteOptions(req: ResourceRequest): DeleteOptions {
  const body = req.body.length ? parseJson(req.body) : {};
  const opts = (isPlainObject(body) ? body : {}) as DeleteOptions;
  const policy = req.query.get('propagationPolicy') ?? opts.propagationPolicy;
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw badRequest(`unsupported propagationPolicy "${policy}"`);
  }
  return { propagationPolicy: policy as DeleteOptions['propagationPolicy'], preconditions: opts.preconditions };
}

export function handleResource(store: ObjectStore, req: ResourceRequest): Answer {
  const { route, method } = req;
  const r = route.resource;
  if (route.type === 'collection') {
    if (method === 'GET') return list(store, r, route.namespace, req.query);
    if (method === 'POST' && (route.namespace !== undefined || !r.namespaced)) {
      return { code: 201, body: store.create(r, route.namespace, requireJsonBody(req)) };
    }
    throw methodNotAllowed(method);
  }

  const { namespace, name, subresource } = route;
  switch (method) {
    case 'GET':
      return { code: 200, body: store.get(r, namespace, name) };
    case 'PUT': {
      const body = requireJsonBody(req);
      const bodyName = isPlainObject(body) && isPlainObject(body.metadata) ? body.metadata.name : undefined;
      if (bodyName !== undefined && bodyName !== name) {
        throw badRequest(`the name of the object (${String(bodyName)}) does not match the name on the URL (${name})`);
      }
      return { code: 200, body: store.update(r, namespace, name, body, { subresource, requireResourceVersion: r.group !== '' }) };
    }
    case 'PATCH':
      return patch(store, req, name);
    case 'DELETE': {
      if (subresource) throw methodNotAllowed(method);
      const result = store.delete(r, namespace, name, deleteOptions(req));
      return result.kind === 'pending' ? { code: 200, body: result.object } : { code: 200, body: result.status };
    }
    default:
      throw methodNotAllowed(method);
  }
}
