import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { ErrorRequestHandler, RequestHandler } from 'express';

const statusByName: Record<string, number> = {
  InputError: 400,
  ValidationError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotModifiedError: 304,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

/** 5xx errors whose message is written for callers; every other 5xx is masked. */
const exposed5xx = new Set([
  'NotImplementedError',
  'ServiceUnavailableError',
  'BadGatewayError',
  'GatewayTimeoutError',
]);

// body-parser reports its failures through `type`, not through an error class.
const bodyParserErrors: Record<string, [number, string]> = {
  'entity.parse.failed': [400, 'Malformed JSON in request body'],
  'entity.too.large': [413, 'Request body is too large'],
  'encoding.unsupported': [415, 'Unsupported request body encoding'],
  'charset.unsupported': [415, 'Unsupported request body charset'],
  'request.aborted': [400, 'Request body was aborted'],
};

function numericStatus(error: unknown): number | undefined {
  for (const key of ['statusCode', 'status'] as const) {
    const value = (error as Record<string, unknown>)?.[key];
    if (Number.isInteger(value) && (value as number) >= 400 && (value as number) < 600) {
      return value as number;
    }
  }
  return undefined;
}

/**
 * The status and public message for any thrown value.
 *
 * @public
 */
export function describeError(error: unknown): {
  status: number;
  message: string;
  details?: unknown[];
  masked: boolean;
} {
  const bodyParser = bodyParserErrors[(error as { type?: string })?.type ?? ''];
  if (bodyParser) {
    return { status: bodyParser[0], message: bodyParser[1], masked: false };
  }
  if (!isError(error)) {
    return { status: 500, message: 'Internal server error', masked: true };
  }
  const status = statusByName[error.name] ?? numericStatus(error) ?? 500;
  if (status >= 500 && !exposed5xx.has(error.name)) {
    return { status, message: 'Internal server error', masked: true };
  }
  const details = (error as { details?: unknown }).details;
  return {
    status,
    message: error.message,
    details: Array.isArray(details) ? details : undefined,
    masked: false,
  };
}

/**
 * Renders every error as the API document's `{"error": "<message>"}` (plus `details`
 * for validation failures), with `Retry-After` when a 429 or 503 carries `retryAfterSeconds`
 * (an `InProgressLimiter` refusal). Stack traces and upstream internals never reach the caller;
 * masked errors are logged in full instead.
 */
export function createErrorRenderer(logger: LoggerService): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, message, details, masked } = describeError(error);
    if (masked) {
      logger.error(`${req.method} ${req.originalUrl} failed`, isError(error) ? error : { error: String(error) });
    } else if (status >= 500) {
      logger.warn(`${req.method} ${req.originalUrl} answered ${status}: ${message}`);
    }
    const retryAfter = (error as { retryAfterSeconds?: unknown })?.retryAfterSeconds;
    if ((status === 429 || status === 503) && Number.isInteger(retryAfter) && (retryAfter as number) > 0) {
      res.setHeader('Retry-After', String(retryAfter));
    }
    res.status(status).json(details ? { error: message, details } : { error: message });
  };
}

/** A JSON 404 for paths no route of the plugin matches (Backstage's default is an empty body). */
export const notFoundHandler: RequestHandler = (_req, res) => {
  res.status(404).json({ error: 'Not found' });
};
