import { LoggerService } from '@backstage/backend-plugin-api';
import { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, Store } from 'express-rate-limit';
import { Caller, getCaller } from '../caller';
import { TooManyRequestsError } from '../errors/httpErrors';
import { createRedisStores } from './createRedisStores';
import { RateLimitConfig } from './readRateLimitConfig';

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

/** Entity refs are case-insensitive in Backstage; one budget per ref however it is cased. */
function principalKey(caller: Caller): string {
  return caller.kind === 'user' ? caller.id.toLocaleLowerCase('en-US') : caller.id;
}

/** The client address, IPv6 addresses grouped by /56 as express-rate-limit advises. */
function clientAddressKey(req: { ip?: string; socket: { remoteAddress?: string } }): string {
  const address = req.ip ?? req.socket.remoteAddress;
  return address ? ipKeyGenerator(address) : 'unknown';
}

/**
 * Builds the per-principal limiters once per backend process: a user budget keyed by user
 * entity ref and a service budget keyed by token subject. Every plugin router shares these
 * instances, so one caller has one budget across all guarded plugins.
 */
export function createRateLimiters(config: RateLimitConfig, logger: LoggerService): RateLimiters {
  const redis =
    config.store.type === 'redis'
      ? createRedisStores({ ...config.store, logger })
      : undefined;

  const build = (kind: Budget, limit: number, key: (req: any) => string, store?: Store) =>
    rateLimit({
      windowMs: config.windowMs,
      limit,
      store,
      // The API document's headers: X-RateLimit-Limit/Remaining/Reset (epoch seconds).
      legacyHeaders: true,
      standardHeaders: false,
      keyGenerator: key,
      passOnStoreError: config.onStoreError === 'allow',
      handler: (_req, _res, next) => {
        next(new TooManyRequestsError(`Rate limit exceeded: ${limit} requests per ${config.windowMs / 1000}s for this ${kind}`));
      },
      // Keys are principals, or addresses already grouped by ipKeyGenerator; the trust-proxy
      // setting is Backstage's (backend.trustProxy), so express-rate-limit's checks do not apply.
      validate: false,
      logger: {
        error: (error: unknown, message?: string) =>
          logger.warn(`${message ?? 'express-rate-limit'}: ${error instanceof Error ? error.message : String(error)}`),
        warn: (error: unknown) => logger.warn(String(error)),
      } as any,
    });

  const byPrincipal = (req: any) => principalKey(getCaller(req));
  const user = build('user', config.userLimit, byPrincipal, redis?.user);
  const service = build('service', config.serviceLimit, byPrincipal, redis?.service);
  const unauthenticated = build('client address', config.unauthenticatedLimit, clientAddressKey, redis?.unauthenticated);

  return {
    middleware: (req, res, next) =>
      (getCaller(req).kind === 'user' ? user : service)(req, res, next),
    unauthenticated,
    whenReady: async () => (redis ? redis.whenConnected() : true),
    close: async () => {
      await redis?.close();
    },
  };
}
