import { randomUUID } from 'node:crypto';
import { Request, Response } from 'express';

/** A caller's id is kept only when it is a plain token that is safe to log and echo. */
const safeRequestId = /^[\w.:-]{1,128}$/;

// A property of the request rather than a WeakMap entry: it goes with the request, and spares
// the garbage collector one weak entry per request on the hot path.
const requestIdKey = Symbol('fawkes.api-guard.requestId');
type WithRequestId = Request & { [requestIdKey]?: string };

/**
 * Gives each guarded request its id: the caller's (or a proxy's) `X-Request-Id` when it is a
 * plain token, else a new UUID; echoed in the response's `X-Request-Id`, so a caller can quote
 * it and an operator finds the log line of the failure.
 */
export function assignRequestId(req: Request, res: Response): void {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && safeRequestId.test(given) ? given : randomUUID();
  (req as WithRequestId)[requestIdKey] = id;
  res.setHeader('X-Request-Id', id);
}

/**
 * The id of a guarded request, as sent back in its `X-Request-Id` header; quote it in log
 * lines about the request. Throws if the request did not pass through the guard.
 */
export function getRequestId(req: Request): string {
  const id = (req as WithRequestId)[requestIdKey];
  if (!id) {
    throw new Error('getRequestId() called on a request that did not pass through the api guard');
  }
  return id;
}
