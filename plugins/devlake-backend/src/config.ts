import { Config } from '@backstage/config';
import { readDurationMs } from '@fawkes/plugin-api-guard-node';
import { DoraBenchmark } from '@fawkes/plugin-devlake-common';

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
    // 0 turns the result cache off (ResultCache then computes every answer).
    cacheTtlMs: readDurationMs(config, 'devlake.cache.ttl', { default: { minutes: 5 }, allowZero: true }),
    catalogTtlMs: readDurationMs(config, 'devlake.cache.catalogTtl', { default: { minutes: 1 }, allowZero: true }),
    benchmark,
  };
}
