import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/**
 * Caches computed responses in Backstage's CacheService. The key is built from every
 * parameter that shapes a result. A failing cache store never fails a request.
 */
export class ResultCache {
  constructor(
    private readonly cache: CacheService,
    private readonly ttlMs: number,
    private readonly logger: LoggerService,
  ) {}

  static key(kind: string, params: Record<string, string | number | null>): string {
    const sorted = Object.keys(params)
      .sort()
      .map(k => [k, params[k]]);
    return `devlake:v1:${kind}:${JSON.stringify(sorted)}`;
  }

  async getOrCompute<T extends JsonValue | object>(key: string, compute: () => Promise<T>): Promise<T> {
    // A TTL of 0 means no caching: Keyv (behind CacheService) would read 0 as "never expires".
    if (this.ttlMs <= 0) return compute();
    try {
      const hit = await this.cache.get(key);
      if (hit !== undefined) return hit as T;
    } catch (error) {
      this.logger.warn(`DevLake cache read failed: ${(error as Error).message}`);
    }
    const value = await compute();
    try {
      await this.cache.set(key, value as JsonValue, { ttl: this.ttlMs });
    } catch (error) {
      this.logger.warn(`DevLake cache write failed: ${(error as Error).message}`);
    }
    return value;
  }
}
