/**
 * Shared request guard of the Fawkes Backstage plugins: who is calling, per-principal
 * rate limits and one error body for everything the plugins answer.
 *
 * @packageDocumentation
 */
export { apiGuardServiceRef, apiGuardRateLimitServiceRef } from './apiGuardService';
export type { ApiGuard } from './apiGuardService';
export { getCaller } from './caller';
export type { Caller } from './caller';
export { getRequestId } from './requestId';
export {
  BadGatewayError,
  GatewayTimeoutError,
  PayloadTooLargeError,
  TooManyRequestsError,
} from './errors/httpErrors';
export { ValidationError } from './errors/ValidationError';
export type { ValidationDetail } from './errors/ValidationError';
export { describeError } from './errors/renderError';
export { readOpenApiDocument } from './openApiDocument';
export type { OpenApiDocument } from './openApiDocument';
export type { RateLimiters } from './rateLimit/createRateLimiters';
export { readDurationMs } from './config/readDurationMs';
export type { ReadDurationOptions } from './config/readDurationMs';
export { BoundedUrlReader } from './reading/BoundedUrlReader';
export type { BoundedRead, BoundedUrlReaderOptions } from './reading/BoundedUrlReader';
export { createGuardedApiRouter, requestValidationError } from './openapi/createGuardedApiRouter';
export type { GuardedApiRouterOptions } from './openapi/createGuardedApiRouter';
export { InProgressLimiter } from './limits/InProgressLimiter';
export type { InProgressLimiterOptions, InProgressLimits } from './limits/InProgressLimiter';
