import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { DoraBenchmark } from '@fawkes/plugin-devlake-common';

/** A duration key given as milliseconds (number), a string ('10s', 'PT10S') or `{ seconds: 10 }`. */
export function readDurationMs(config: Config, key: string, defaultMs: number): number {
  const raw = config.getOptional(key);
  if (raw === undefined) return defaultMs;
  if (typeof raw === 'number') return raw;
  return durationToMilliseconds(readDurationFromConfig(config, { key }));
}

export interface DevLakePluginConfig {
  cacheTtlMs: number;
  /** How long a caller's catalog lookup of a project/service name is reused; 0 = never. */
  catalogTtlMs: number;
  benchmark: DoraBenchmark;
}

export function readPluginConfig(config: Config): DevLakePluginConfig {
  const devlake = config.getOptionalConfig('devlake');
  const raw = devlake?.getOptional('benchmark');
  // YAML reads an unquoted 2021 as a number.
  const benchmark = raw === undefined ? '2023' : String(raw);
  if (benchmark !== '2021' && benchmark !== '2023') {
    throw new Error(`devlake.benchmark must be '2021' or '2023', got '${benchmark}'`);
  }
  return {
    cacheTtlMs: devlake ? readDurationMs(devlake, 'cache.ttl', 5 * 60_000) : 5 * 60_000,
    catalogTtlMs: devlake ? readDurationMs(devlake, 'cache.catalogTtl', 60_000) : 60_000,
    benchmark,
  };
}
