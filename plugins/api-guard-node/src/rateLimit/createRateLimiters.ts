import { LoggerService } from '@backstage/backend-plugin-api';
import { RequestHandler } from 'express';
import { rateLimit, Store } from 'express-rate-limit';
import { Caller, getCaller } from '../caller';
import { TooManyRequestsError } from '../errors/httpErrors';
import { createRedisStores } from './createRedisStores';
import { RateLimitConfig } from './readRateLimitConfig';

export interface RateLimiters {
  /** Charges the request to its caller's budget; answers 429 when it is spent. */
  middleware: RequestHandler;
  close(): Promise<void>;
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

  const build = (kind: Caller['kind'], limit: number, store?: Store) =>
    rateLimit({
      windowMs: config.windowMs,
      limit,
      store,
      // The API document's headers: X-RateLimit-Limit/Remaining/Reset (epoch seconds).
      legacyHeaders: true,
      standardHeaders: false,
      keyGenerator: req => getCaller(req as any).id,
      passOnStoreError: config.onStoreError === 'allow',
      handler: (_req, _res, next) => {
        next(new TooManyRequestsError(`Rate limit exceeded: ${limit} requests per ${config.windowMs / 1000}s for this ${kind}`));
      },
      // Keys are principals, not IPs, so the IP-related checks do not apply.
      validate: false,
      logger: {
        error: (error: unknown, message?: string) =>
          logger.warn(`${message ?? 'express-rate-limit'}: ${error instanceof Error ? error.message : String(error)}`),
        warn: (error: unknown) => logger.warn(String(error)),
      } as any,
    });

  const user = build('user', config.userLimit, redis?.user);
  const service = build('service', config.serviceLimit, redis?.service);

  return {
    middleware: (req, res, next) =>
      (getCaller(req).kind === 'user' ? user : service)(req, res, next),
    close: async () => {
      await redis?.close();
    },
  };
}
