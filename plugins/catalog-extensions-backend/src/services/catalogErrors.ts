import {
  ConflictError,
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { BadGatewayError, GatewayTimeoutError } from '@fawkes/plugin-api-guard-node';

/** What the failed catalog call was, for the messages. */
export interface CatalogCallContext {
  action: string;
  /** `<type>:<target>` when the call concerned a location. */
  locationRef?: string;
  /** Longest the call may take before the caller gets a 504 (catalogExtensions.catalogTimeout). */
  timeoutMs: number;
}

/**
 * Maps a failure of the core catalog (a `ResponseError` from the catalog client, or a network
 * error) to a clean error of ours. Upstream 5xx texts are never forwarded; the catalog's 400
 * messages describe the caller's own input and are.
 */
export function toCatalogError(error: unknown, context: CatalogCallContext): Error {
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status !== 'number') {
    return new ServiceUnavailableError(`The catalog is unavailable (${context.action})`);
  }
  const upstreamMessage = (error as { body?: { error?: { message?: unknown } } }).body?.error
    ?.message;
  switch (status) {
    case 400:
      return new InputError(
        typeof upstreamMessage === 'string' && upstreamMessage
          ? `The catalog refused the request: ${upstreamMessage}`
          : 'The catalog refused the request',
      );
    case 403:
      return new NotAllowedError(`You are not allowed to ${context.action}`);
    case 404:
      return new NotFoundError('Not found in the catalog');
    case 409:
      return new ConflictError(
        context.locationRef ? `Location ${context.locationRef} already exists` : 'Conflict in the catalog',
      );
    default:
      if (status >= 500) {
        return new BadGatewayError(`The catalog failed to ${context.action} (${status})`);
      }
      // 401 and others mean this backend's call was wrong, not the caller's request.
      return new BadGatewayError(`The catalog rejected this service's request (${status})`);
  }
}

/**
 * Runs a catalog call and maps its failures: catalog answers (they carry `statusCode`) and
 * network failures become our errors; anything else is a bug and stays a masked 500.
 */
export async function callCatalog<T>(context: CatalogCallContext, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const pending = call();
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          Object.assign(
            new GatewayTimeoutError(
              `The catalog did not answer within ${context.timeoutMs} ms (${context.action})`,
            ),
            // The catalog keeps working on the call; whoever holds a slot for it waits for this.
            { stillRunning: pending.catch(() => undefined) },
          ),
        );
      }, context.timeoutMs);
    });
    return await Promise.race([pending, timedOut]);
  } catch (error) {
    if (!isError(error) || error instanceof GatewayTimeoutError) throw error;
    if (typeof (error as { statusCode?: unknown }).statusCode === 'number' || isNetworkError(error)) {
      throw toCatalogError(error, context);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function isNetworkError(error: Error): boolean {
  return (
    error.name === 'FetchError' ||
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|fetch failed|socket hang up/i.test(error.message)
  );
}
