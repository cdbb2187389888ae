/** Kubernetes `Status` objects and an error type that carries one. */

export type StatusReason =
  | 'AlreadyExists'
  | 'NotFound'
  | 'Invalid'
  | 'Forbidden'
  | 'Unauthorized'
  | 'Conflict'
  | 'UnsupportedMediaType'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'RequestEntityTooLarge'
  | 'ServiceUnavailable'
  | 'InternalError';

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: {};
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An error that the server renders as the given `Status` body and HTTP code. */
export class KubeStatusError extends Error {
  readonly status: KubeStatus;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'KubeStatusError';
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
  }

  get code(): number {
    return this.status.code;
  }
}

/** What an error names: `plural` plus `group` ('' for the core group). */
export interface ResourceName {
  group: string;
  plural: string;
}

/** `devworkspaces.workspace.devfile.io` or `namespaces` for the core group. */
export function qualifiedResource(r: ResourceName): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

function groupDetail(r: ResourceName): { group?: string } {
  return r.group ? { group: r.group } : {};
}

export function successStatus(details: StatusDetails): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}

export function notFound(r: ResourceName, name: string): KubeStatusError {
  return new KubeStatusError(404, 'NotFound', `${qualifiedResource(r)} "${name}" not found`, {
    name,
    ...groupDetail(r),
    kind: r.plural,
  });
}

export function pathNotFound(): KubeStatusError {
  return new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(r: ResourceName, name: string): KubeStatusError {
  return new KubeStatusError(409, 'AlreadyExists', `${qualifiedResource(r)} "${name}" already exists`, {
    name,
    ...groupDetail(r),
    kind: r.plural,
  });
}

export function conflict(r: ResourceName, name: string, why: string): KubeStatusError {
  return new KubeStatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(r)} "${name}": ${why}`,
    { name, ...groupDetail(r), kind: r.plural },
  );
}

export const STALE_OBJECT =
  'the object has been modified; please apply your changes to the latest version and try again';

/** 422 Invalid: `Kind.group "name" is invalid: field: message, ...`. */
export function invalid(
  r: { group: string; kind: string },
  name: string,
  causes: Array<{ field: string; message: string; reason?: string }>,
): KubeStatusError {
  const qualifiedKind = r.group ? `${r.kind}.${r.group}` : r.kind;
  const list = causes.map(c => `${c.field}: ${c.message}`);
  const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new KubeStatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    name,
    ...(r.group ? { group: r.group } : {}),
    kind: r.kind,
    causes: causes.map(c => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field })),
  });
}

export function forbidden(
  r: ResourceName,
  name: string | undefined,
  user: string,
  verb: string,
  namespace: string | undefined,
  why?: string,
): KubeStatusError {
  const subject = name ? `${qualifiedResource(r)} "${name}"` : qualifiedResource(r);
  const reason =
    why ??
    `User "${user}" cannot ${verb} resource "${r.plural}" in API group "${r.group}"${
      namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'
    }`;
  return new KubeStatusError(403, 'Forbidden', `${subject} is forbidden: ${reason}`, {
    ...(name ? { name } : {}),
    ...groupDetail(r),
    kind: r.plural,
  });
}

export function unauthorized(): KubeStatusError {
  return new KubeStatusError(401, 'Unauthorized', 'Unauthorized');
}

export function badRequest(message: string): KubeStatusError {
  return new KubeStatusError(400, 'BadRequest', message);
}

export function unsupportedMediaType(contentType: string, accepted: string[]): KubeStatusError {
  return new KubeStatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    { causes: [{ reason: 'UnexpectedServerResponse', message: `unsupported media type "${contentType}"` }] },
  );
}

export function methodNotAllowed(method: string): KubeStatusError {
  return new KubeStatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`);
}

export function internalError(message: string): KubeStatusError {
  return new KubeStatusError(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

/** The reason Kubernetes uses for a bare HTTP code (used by fault injection). */
export function reasonForCode(code: number): StatusReason {
  switch (code) {
    case 400: return 'BadRequest';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'NotFound';
    case 405: return 'MethodNotAllowed';
    case 409: return 'Conflict';
    case 413: return 'RequestEntityTooLarge';
    case 415: return 'UnsupportedMediaType';
    case 422: return 'Invalid';
    case 503: return 'ServiceUnavailable';
    default: return 'InternalError';
  }
}
