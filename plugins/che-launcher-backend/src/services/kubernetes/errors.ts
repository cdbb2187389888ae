import { ServiceUnavailableError } from '@backstage/errors';
import { GatewayTimeoutError } from '@fawkes/plugin-api-guard-node';

/**
 * A Kubernetes API answer the caller must interpret in context (404, 409, 422, 403): it carries
 * the status code, the Status reason and causes, but never the raw message (which embeds the
 * response body and headers).
 */
export class KubernetesApiError extends Error {
  readonly name = 'KubernetesApiError';

  constructor(
    readonly code: number,
    readonly reason: string | undefined,
    readonly causes: { field?: string; message?: string }[],
  ) {
    super(`Kubernetes API answered ${code}${reason ? ` ${reason}` : ''}`);
  }
}

function parseStatus(body: unknown): { reason?: string; causes: { field?: string; message?: string }[] } {
  let status: any = body;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body);
    } catch {
      status = undefined;
    }
  }
  if (!status || typeof status !== 'object' || status.kind !== 'Status') return { causes: [] };
  const causes = Array.isArray(status.details?.causes) ? status.details.causes : [];
  return {
    reason: typeof status.reason === 'string' ? status.reason : undefined,
    causes: causes.map((c: any) => ({
      field: typeof c?.field === 'string' ? c.field : undefined,
      message: typeof c?.message === 'string' ? c.message : undefined,
    })),
  };
}

/** Codes the callers interpret; everything else is an outage or a misconfiguration. */
const CONTEXTUAL_CODES = new Set([403, 404, 409, 422]);

/**
 * Translates anything the Kubernetes client throws into a clean error: a KubernetesApiError for
 * answers callers interpret, 504 on timeout, 503 for everything else (refused connections,
 * 5xx, 401, throttling). Upstream messages are never passed on.
 */
export function translateKubernetesError(
  error: unknown,
  context: { timedOut: boolean; timeoutMs: number },
): Error {
  if (context.timedOut) {
    return new GatewayTimeoutError(
      `The Kubernetes API did not answer within ${context.timeoutMs / 1000}s`,
    );
  }
  const e = error as { code?: unknown; body?: unknown; headers?: unknown; name?: string; type?: string };
  if (e && typeof e.code === 'number' && 'headers' in e) {
    const { reason, causes } = parseStatus(e.body);
    if (CONTEXTUAL_CODES.has(e.code)) {
      return new KubernetesApiError(e.code, reason, causes);
    }
    if (e.code === 401) {
      return new ServiceUnavailableError(
        'The Kubernetes API rejected the plugin credentials (check cheLauncher.kubernetes)',
      );
    }
    if (e.code === 429) {
      return new ServiceUnavailableError('The Kubernetes API is throttling requests; try again shortly');
    }
    if (e.code >= 500) {
      return new ServiceUnavailableError(`The Kubernetes API failed (${e.code}); try again shortly`);
    }
    return new ServiceUnavailableError(`The Kubernetes API refused the request (${e.code})`);
  }
  if (typeof e?.code === 'string' || e?.type === 'system' || e?.name === 'FetchError') {
    return new ServiceUnavailableError('The Kubernetes API is unreachable; try again shortly');
  }
  return new ServiceUnavailableError('The Kubernetes API could not be called');
}
