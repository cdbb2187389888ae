import { Config } from '@backstage/config';
import { readDurationMs } from '@fawkes/plugin-api-guard-node';
import { DoraBenchmark } from '@fawkes/plugin-devlake-common';

export interface DevLakePluginConfig {
  cacheTtlMs: number;
  /** How long a caller's catalog lookup of a project/service name is reused; 0 = never. */
  catalogTtlMs: number;
  benchmark: DoraBenchmark;
  /** `POST /dora-metrics/batch` requests in progress at once: per caller (429 past it) and in total (503). */
  batch: { maxConcurrentPerCaller: number; maxConcurrent: number };
}

function positiveInteger(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${key} must be a positive integer, got ${value}`);
  }
  return value;
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
    // 0 turns the result cache off (ResultCache then computes every answer).
    cacheTtlMs: readDurationMs(config, 'devlake.cache.ttl', { default: { minutes: 5 }, allowZero: true }),
    catalogTtlMs: readDurationMs(config, 'devlake.cache.catalogTtl', { default: { minutes: 1 }, allowZero: true }),
    benchmark,
    batch: {
      // The team view sends two batches at a time.
      maxConcurrentPerCaller: positiveInteger(config, 'devlake.batch.maxConcurrentPerCaller', 2),
      maxConcurrent: positiveInteger(config, 'devlake.batch.maxConcurrent', 8),
    },
  };
}
