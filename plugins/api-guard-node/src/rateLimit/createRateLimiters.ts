import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { Request, RequestHandler, Response } from 'express';
import ipaddr from 'ipaddr.js';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { budgetKey, Caller, getCaller } from '../caller';
import { TooManyRequestsError } from '../errors/httpErrors';
import { boundInTime } from './boundInTime';
import { createRedisConnection } from './createRedisConnection';
import { RateLimitConfig } from './readRateLimitConfig';

/** @public */
export interface RateLimiters {
  /** Charges the request to its caller's budget; answers 429 when it is spent. */
  middleware: RequestHandler;
  /**
   * Charges a request that failed authentication to its client address's budget; answers 429
   * when it is spent. The address is `req.ip`, which follows Backstage's `backend.trustProxy`.
   */
  unauthenticated: RequestHandler;
  /** Resolves once the store can count (at once for memory), or false after its connect timeout. */
  whenReady(): Promise<boolean>;
  close(): Promise<void>;
}

type Budget = Caller['kind'] | 'client address';


/**
 * The client address; IPv6 addresses grouped by their /56 (what one subscriber usually gets),
 * so that one host cannot rotate through its own prefix, and IPv4-mapped ones read as IPv4.
 */
function clientAddressKey(req: Request): string {
  const raw = req.ip ?? req.socket.remoteAddress;
  if (!raw || !ipaddr.isValid(raw)) {
    return raw ?? 'unknown';
  }
  const address = ipaddr.process(raw);
  return address.kind() === 'ipv6'
    ? `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/56`).toString()}/56`
    : address.toString();
}

/** The API document's headers: X-RateLimit-Limit/Remaining/Reset (Unix epoch seconds). */
function setHeaders(res: Response, limit: number, state: RateLimiterRes) {
  res.setHeader('X-RateLimit-Limit', String(limit));
  res.setHeader('X-RateLimit-Remaining', String(state.remainingPoints));
  res.setHeader('X-RateLimit-Reset', String(Math.ceil((Date.now() + state.msBeforeNext) / 1000)));
}

/**
 * Builds the limiters once per backend process, with rate-limiter-flexible: a user budget keyed
 * by user entity ref, a service budget keyed by token subject, and a budget per client address
 * for requests that fail authentication. Every plugin router shares these instances, so one
 * caller has one budget across all guarded plugins. With Redis, each request is one atomic Lua
 * increment (never retried), bounded in time as a whole by `commandTimeout`.
 */
export function createRateLimiters(config: RateLimitConfig, logger: LoggerService): RateLimiters {
  const { store } = config;
  const redis = store.type === 'redis' ? createRedisConnection({ ...store, logger }) : undefined;
  const windowSec = Math.max(1, Math.round(config.windowMs / 1000));

  const limiterFor = (kind: string, points: number): RateLimiterAbstract =>
    redis && store.type === 'redis'
      ? new RateLimiterRedis({
          storeClient: redis.client,
          useRedisPackage: true,
          keyPrefix: `${store.prefix}${kind}`,
          points,
          duration: windowSec,
        })
      : new RateLimiterMemory({ keyPrefix: kind, points, duration: windowSec });

  const build = (kind: Budget, limit: number, key: (req: Request) => string): RequestHandler => {
    const limiter = limiterFor(kind === 'client address' ? 'unauthenticated' : kind, limit);
    const consume = (k: string) =>
      store.type === 'redis' ? boundInTime(() => limiter.consume(k), store.commandTimeoutMs) : limiter.consume(k);
    return (req, res, next) => {
      consume(key(req)).then(
        state => {
          setHeaders(res, limit, state);
          next();
        },
        (rejection: unknown) => {
          // rate-limiter-flexible rejects with the budget's state when it is spent, and with an
          // error when the store fails.
          if (rejection instanceof RateLimiterRes) {
            setHeaders(res, limit, rejection);
            res.setHeader('Retry-After', String(Math.ceil(rejection.msBeforeNext / 1000)));
            next(new TooManyRequestsError(`Rate limit exceeded: ${limit} requests per ${config.windowMs / 1000}s for this ${kind}`));
            return;
          }
          logger.warn(`Rate-limit store failed: ${rejection instanceof Error ? rejection.message : String(rejection)}`);
          if (config.onStoreError === 'allow') {
            next();
            return;
          }
          next(
            rejection instanceof ServiceUnavailableError
              ? rejection
              : new ServiceUnavailableError('Rate limit store is unavailable'),
          );
        },
      );
    };
  };

  const byPrincipal = (req: Request) => budgetKey(getCaller(req));
  const user = build('user', config.userLimit, byPrincipal);
  const service = build('service', config.serviceLimit, byPrincipal);
  const unauthenticated = build('client address', config.unauthenticatedLimit, clientAddressKey);

  return {
    middleware: (req, res, next) => (getCaller(req).kind === 'user' ? user : service)(req, res, next),
    unauthenticated,
    whenReady: async () => (redis ? redis.whenConnected() : true),
    close: async () => {
      await redis?.close();
    },
  };
}
