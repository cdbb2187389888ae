import { Config } from '@backstage/config';
import { readDurationMs } from '../config/readDurationMs';

export type StoreConfig =
  | { type: 'memory' }
  | { type: 'redis'; connection: string; prefix: string; commandTimeoutMs: number };

export interface RateLimitConfig {
  windowMs: number;
  userLimit: number;
  serviceLimit: number;
  /** Budget per client address for requests that fail authentication. */
  unauthenticatedLimit: number;
  store: StoreConfig;
  onStoreError: 'deny' | 'allow';
}

function readStore(root: Config, guard: Config | undefined): StoreConfig {
  const store = guard?.getOptionalConfig('store');
  const redisFromCache =
    root.getOptionalString('backend.cache.store') === 'redis'
      ? root.getOptionalString('backend.cache.connection')
      : undefined;
  const type = store?.getString('type') ?? (redisFromCache ? 'redis' : 'memory');
  if (type === 'memory') {
    return { type };
  }
  if (type !== 'redis') {
    throw new Error(`apiGuard.rateLimit.store.type must be 'memory' or 'redis', got '${type}'`);
  }
  return {
    type,
    connection: store?.getOptionalString('connection') ?? redisFromCache ?? '',
    prefix: store?.getOptionalString('prefix') ?? 'fawkes:api-guard:',
    commandTimeoutMs: readDurationMs(root, 'apiGuard.rateLimit.store.commandTimeout', { default: { seconds: 2 } }),
  };
}

function readLimit(config: Config | undefined, fallback: number): number {
  const limit = config?.getOptionalNumber('limit') ?? fallback;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`apiGuard rate limits must be positive integers, got ${limit}`);
  }
  return limit;
}

export function readRateLimitConfig(root: Config): RateLimitConfig {
  const guard = root.getOptionalConfig('apiGuard.rateLimit');
  const store = readStore(root, guard);
  if (store.type === 'redis' && !store.connection) {
    throw new Error('apiGuard.rateLimit.store.connection is required for the redis store');
  }
  const onStoreError = guard?.getOptionalString('onStoreError') ?? 'deny';
  if (onStoreError !== 'deny' && onStoreError !== 'allow') {
    throw new Error(`apiGuard.rateLimit.onStoreError must be 'deny' or 'allow', got '${onStoreError}'`);
  }
  return {
    windowMs: readDurationMs(root, 'apiGuard.rateLimit.window', { default: { minutes: 1 } }),
    userLimit: readLimit(guard?.getOptionalConfig('user'), 100),
    serviceLimit: readLimit(guard?.getOptionalConfig('service'), 1000),
    unauthenticatedLimit: readLimit(guard?.getOptionalConfig('unauthenticated'), 60),
    store,
    onStoreError,
  };
}
