import { CustomErrorBase } from '@backstage/errors';

/**
 * Errors for the statuses `@backstage/errors` has no class for. Each carries a numeric
 * `statusCode`, which both our renderer and Backstage's own error handler honour.
 */
abstract class StatusError extends CustomErrorBase {
  abstract readonly statusCode: number;
}

/**
 * 413: a request body or a fetched document is larger than allowed.
 *
 * @public
 */
export class PayloadTooLargeError extends StatusError {
  name = 'PayloadTooLargeError' as const;
  readonly statusCode = 413;
}

/**
 * 429: the caller's budget for this window is spent.
 *
 * @public
 */
export class TooManyRequestsError extends StatusError {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;
}

/**
 * 502: an upstream system answered, but not usefully.
 *
 * @public
 */
export class BadGatewayError extends StatusError {
  name = 'BadGatewayError' as const;
  readonly statusCode = 502;
}

/**
 * 504: an upstream system did not answer in time.
 *
 * @public
 */
export class GatewayTimeoutError extends StatusError {
  name = 'GatewayTimeoutError' as const;
  readonly statusCode = 504;
}
