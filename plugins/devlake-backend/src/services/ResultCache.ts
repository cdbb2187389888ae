import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/** A result and, when it came from the cache, when it was computed (ISO 8601). */
export interface CachedResult<T> {
  value: T;
  /** Absent when the result was computed for this call. */
  cachedAt?: string;
}

/** What is stored: the result and when it was computed (ms since the epoch). */
interface Entry {
  value: JsonValue;
  computedAt: number;
}

function isEntry(hit: unknown): hit is Entry {
  return typeof hit === 'object' && hit !== null && 'value' in hit && typeof (hit as Entry).computedAt === 'number';
}

/**
 * Caches computed responses in Backstage's CacheService. The key is built from every
 * parameter that shapes a result. A failing cache store never fails a request.
 */
export class ResultCache {
  constructor(
    private readonly cache: CacheService,
    private readonly ttlMs: number,
    private readonly logger: LoggerService,
    private readonly now: () => number = Date.now,
  ) {}

  static key(kind: string, params: Record<string, string | number | null>): string {
    const sorted = Object.keys(params)
      .sort()
      .map(k => [k, params[k]]);
    // v2: entries are {value, computedAt}.
    return `devlake:v2:${kind}:${JSON.stringify(sorted)}`;
  }

  /** The cached value, or undefined (also when caching is off or the store fails). */
  async peek<T>(key: string): Promise<T | undefined> {
    if (this.ttlMs <= 0) return undefined;
    try {
      const hit = await this.cache.get(key);
      return isEntry(hit) ? (hit.value as T) : undefined;
    } catch (error) {
      this.logger.warn(`DevLake cache read failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Stores a value computed elsewhere (several at once, say). */
  async put(key: string, value: JsonValue): Promise<void> {
    if (this.ttlMs <= 0) return;
    try {
      const entry: Entry = { value, computedAt: this.now() };
      await this.cache.set(key, entry as unknown as JsonValue, { ttl: this.ttlMs });
    } catch (error) {
      this.logger.warn(`DevLake cache write failed: ${(error as Error).message}`);
    }
  }

  async getOrCompute<T extends JsonValue | object>(key: string, compute: () => Promise<T>): Promise<T> {
    return (await this.getOrComputeWithAge(key, compute)).value;
  }

  /** Like {@link ResultCache.getOrCompute}, with `cachedAt` when the result came from the cache. */
  async getOrComputeWithAge<T extends JsonValue | object>(key: string, compute: () => Promise<T>): Promise<CachedResult<T>> {
    // A TTL of 0 means no caching: Keyv (behind CacheService) would read 0 as "never expires".
    if (this.ttlMs <= 0) return { value: await compute() };
    try {
      const hit = await this.cache.get(key);
      if (isEntry(hit)) return { value: hit.value as T, cachedAt: new Date(hit.computedAt).toISOString() };
    } catch (error) {
      this.logger.warn(`DevLake cache read failed: ${(error as Error).message}`);
    }
    const computedAt = this.now();
    const value = await compute();
    try {
      const entry: Entry = { value: value as JsonValue, computedAt };
      await this.cache.set(key, entry as unknown as JsonValue, { ttl: this.ttlMs });
    } catch (error) {
      this.logger.warn(`DevLake cache write failed: ${(error as Error).message}`);
    }
    return { value };
  }
}
