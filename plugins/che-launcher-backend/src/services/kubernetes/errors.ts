import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { GatewayTimeoutError } from '@fawkes/plugin-api-guard-node';

/**
 * The one place where Kubernetes answers become the plugin's HTTP answers. The table is in the
 * README ("Kubernetes answers"); every path ends in a documented status with a message written
 * for callers. Upstream texts never reach callers: they travel as the error's `cause` (a
 * KubernetesFailure), which the router logs once per failed request.
 */

export type KubernetesVerb = 'get' | 'list' | 'create' | 'patch' | 'delete';

/** What the plugin asked the cluster, for messages and logs. */
export interface KubernetesRequest {
  verb: KubernetesVerb;
  /** Resource plural, e.g. `devworkspaces`. */
  plural: string;
  /** API group; '' for the core group. */
  group: string;
  version: string;
  namespace?: string;
  name?: string;
  /** The API server's host (never credentials). */
  host: string;
}

/**
 * Why a Kubernetes call failed: the cause of the HTTP error the caller receives. Safe to log
 * (HTTP code, Status reason and message, causes, host); never carries tokens or headers.
 */
export class KubernetesFailure extends Error {
  readonly name = 'KubernetesFailure';

  constructor(
    readonly request: KubernetesRequest,
    /** HTTP code of the answer; undefined when there was none (timeout, network). */
    readonly code: number | undefined,
    readonly reason: string | undefined,
    readonly causes: { reason?: string; field?: string; message?: string }[],
    /** The upstream message (Status message or network error), for the logs only. */
    readonly upstreamMessage: string,
    readonly details: { name?: string; kind?: string } = {},
  ) {
    super(
      `Kubernetes ${request.verb} ${qualified(request)}${request.namespace ? ` in ${request.namespace}` : ''}${request.name ? `/${request.name}` : ''} on ${request.host} failed: ${code ?? 'no answer'}${reason ? ` ${reason}` : ''}: ${upstreamMessage}`.slice(0, 1000),
    );
  }
}

/** `devworkspaces.workspace.devfile.io`, or `namespaces` for the core group. */
function qualified(r: { plural: string; group: string }): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

function where(r: KubernetesRequest): string {
  return r.namespace ? `in namespace '${r.namespace}'` : 'at the cluster scope';
}

/** The Kubernetes HTTP code behind an error, when the cluster answered one. */
export function kubernetesCodeOf(error: unknown): number | undefined {
  const cause = (error as { cause?: unknown })?.cause;
  return cause instanceof KubernetesFailure ? cause.code : undefined;
}

/** Whether the cluster answered at all (false for timeouts and network failures). */
export function kubernetesAnswered(error: unknown): boolean {
  return kubernetesCodeOf(error) !== undefined;
}

/** A create the cluster refused because an object of that name exists (409 AlreadyExists). */
export function isAlreadyExists(error: unknown): boolean {
  return kubernetesCodeOf(error) === 409 && error instanceof ConflictError;
}

function parseStatus(body: unknown): {
  reason?: string;
  message?: string;
  details: { name?: string; kind?: string };
  causes: { reason?: string; field?: string; message?: string }[];
} {
  let status: any = body;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body);
    } catch {
      status = undefined;
    }
  }
  if (!status || typeof status !== 'object' || status.kind !== 'Status') return { details: {}, causes: [] };
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const causes = Array.isArray(status.details?.causes) ? status.details.causes : [];
  return {
    reason: str(status.reason),
    message: str(status.message),
    details: { name: str(status.details?.name), kind: str(status.details?.kind) },
    causes: causes.map((c: any) => ({
      reason: str(c?.reason),
      field: str(c?.field),
      message: str(c?.message),
    })),
  };
}

const GRANT_HINT = "grant it in the plugin's ClusterRole (see the che-launcher README)";

/** The HTTP error for an answer of the Kubernetes API (the table in the README). */
function forAnswer(failure: KubernetesFailure): Error {
  const r = failure.request;
  const code = failure.code!;
  const isDevWorkspace = r.plural === 'devworkspaces';
  const wrap = (error: Error) => Object.assign(error, { cause: failure });
  const refused = () =>
    wrap(
      new ServiceUnavailableError(
        `The Kubernetes API refused to ${r.verb} ${qualified(r)} (${code}); see the backend logs`,
      ),
    );

  switch (code) {
    case 401:
      return wrap(
        new ServiceUnavailableError(
          'The Kubernetes API rejected the plugin credentials (check cheLauncher.kubernetes)',
        ),
      );
    case 403:
      if (failure.causes.some(c => c.reason === 'NamespaceTerminating')) {
        return wrap(new ConflictError(`Namespace '${r.namespace}' is being deleted; try again later`));
      }
      if (r.verb === 'get' && isDevWorkspace && r.name) {
        // A caller-given id in a namespace the plugin cannot read holds none of its workspaces.
        return wrap(new NotFoundError('Workspace not found'));
      }
      return wrap(
        new ServiceUnavailableError(
          `The plugin's service account may not ${r.verb} ${qualified(r)} ${where(r)}; ${GRANT_HINT}`,
        ),
      );
    case 404:
      if (r.verb === 'create' && failure.details.kind === 'namespaces') {
        return wrap(
          new NotFoundError(
            `Namespace '${r.namespace}' does not exist or has no DevWorkspace support; ask a cluster administrator`,
          ),
        );
      }
      if (r.name && failure.details.name === r.name) {
        return wrap(
          new NotFoundError(isDevWorkspace ? 'Workspace not found' : `${qualified(r)} '${r.name}' not found`),
        );
      }
      if (r.group) {
        // No object named in the answer: the path itself is unknown, the API is not served.
        return wrap(
          new ServiceUnavailableError(
            `The cluster does not serve ${qualified(r)}/${r.version}; is the DevWorkspace Operator installed?`,
          ),
        );
      }
      return refused();
    case 409:
      if (r.verb === 'create' && failure.reason === 'AlreadyExists') {
        return wrap(
          new ConflictError(
            isDevWorkspace
              ? `Workspace with name '${r.name}' already exists`
              : `${qualified(r)} '${r.name}' already exists`,
          ),
        );
      }
      if (r.verb === 'patch' || r.verb === 'delete' || r.verb === 'create') {
        return wrap(new ConflictError('The workspace was changed concurrently; try again'));
      }
      return refused();
    case 422:
      if (r.verb === 'create' || r.verb === 'patch') {
        const causes = failure.causes
          .map(c => [c.field, c.message].filter(Boolean).join(': '))
          .filter(Boolean)
          .slice(0, 5)
          .map(c => c.slice(0, 200));
        return wrap(
          new InputError(
            `The cluster rejected the workspace${causes.length ? `: ${causes.join('; ')}` : ''}`,
          ),
        );
      }
      return refused();
    case 429:
      return wrap(
        new ServiceUnavailableError('The Kubernetes API is throttling requests; try again shortly'),
      );
    default:
      if (code >= 500) {
        return wrap(
          new ServiceUnavailableError(`The Kubernetes API failed (${code}); try again shortly`),
        );
      }
      return refused();
  }
}

/**
 * Translates anything the Kubernetes client throws for `request` into the plugin's HTTP error,
 * with a KubernetesFailure as its `cause`: 504 on timeout, 503 when unreachable, and the table
 * in forAnswer for answers.
 */
export function translateKubernetesError(
  error: unknown,
  request: KubernetesRequest,
  context: { timedOut: boolean; timeoutMs: number },
): Error {
  const e = error as { code?: unknown; body?: unknown; headers?: unknown; name?: string; type?: string; message?: string };
  if (context.timedOut) {
    const failure = new KubernetesFailure(request, undefined, undefined, [], `no answer within ${context.timeoutMs} ms`);
    return Object.assign(
      new GatewayTimeoutError(`The Kubernetes API did not answer within ${context.timeoutMs / 1000}s`),
      { cause: failure },
    );
  }
  if (e && typeof e.code === 'number' && 'headers' in e) {
    const status = parseStatus(e.body);
    const failure = new KubernetesFailure(
      request,
      e.code,
      status.reason,
      status.causes,
      (status.message ?? '(no Status body)').slice(0, 500),
      status.details,
    );
    return forAnswer(failure);
  }
  const upstream = `${typeof e?.code === 'string' ? `${e.code} ` : ''}${String(e?.message ?? e).slice(0, 300)}`;
  const failure = new KubernetesFailure(request, undefined, undefined, [], upstream);
  if (typeof e?.code === 'string' || e?.type === 'system' || e?.name === 'FetchError') {
    return Object.assign(
      new ServiceUnavailableError('The Kubernetes API is unreachable; try again shortly'),
      { cause: failure },
    );
  }
  return Object.assign(new ServiceUnavailableError('The Kubernetes API could not be called'), {
    cause: failure,
  });
}
