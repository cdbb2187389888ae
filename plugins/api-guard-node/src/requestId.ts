import { randomUUID } from 'node:crypto';
import { Request, RequestHandler } from 'express';

/** A caller's id is kept only when it is a plain token that is safe to log and echo. */
const safeRequestId = /^[\w.:-]{1,128}$/;

const requestIds = new WeakMap<Request, string>();

/**
 * Gives each guarded request its id: the caller's (or a proxy's) `X-Request-Id` when it is a
 * plain token, else a new UUID; echoed in the response's `X-Request-Id`, so a caller can quote
 * it and an operator finds the log line of the failure.
 */
export const assignRequestId: RequestHandler = (req, res, next) => {
  const given = req.get('x-request-id');
  const id = given && safeRequestId.test(given) ? given : randomUUID();
  requestIds.set(req, id);
  res.setHeader('X-Request-Id', id);
  next();
};

/**
 * The id of a guarded request, as sent back in its `X-Request-Id` header; quote it in log
 * lines about the request. Throws if the request did not pass through the guard.
 */
export function getRequestId(req: Request): string {
  const id = requestIds.get(req);
  if (!id) {
    throw new Error('getRequestId() called on a request that did not pass through the api guard');
  }
  return id;
}
