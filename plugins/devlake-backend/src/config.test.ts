import { ConfigReader } from '@backstage/config';
import { readDurationMs } from '@fawkes/plugin-api-guard-node';
import { readPluginConfig } from './config';

describe('readPluginConfig', () => {
  it('defaults to the 2023 report, a 5 minute cache and 1 minute catalog lookups', () => {
    expect(readPluginConfig(new ConfigReader({}))).toEqual({
      benchmark: '2023',
      cacheTtlMs: 300_000,
      catalogTtlMs: 60_000,
      batch: { maxConcurrentPerCaller: 2, maxConcurrent: 8 },
    });
  });

  it('reads the report (also an unquoted YAML number) and durations in every form', () => {
    expect(
      readPluginConfig(new ConfigReader({ devlake: { benchmark: 2021, cache: { ttl: '30s', catalogTtl: 0 } } })),
    ).toMatchObject({
      benchmark: '2021',
      cacheTtlMs: 30_000,
      catalogTtlMs: 0,
    });
    expect(readPluginConfig(new ConfigReader({ devlake: { cache: { ttl: { minutes: 2 } } } })).cacheTtlMs).toBe(120_000);
    expect(readDurationMs(new ConfigReader({ t: 1500 }), 't', { default: 1 })).toBe(1500);
  });

  it('reads the batch caps and rejects ones that would refuse every batch', () => {
    expect(
      readPluginConfig(new ConfigReader({ devlake: { batch: { maxConcurrentPerCaller: 1, maxConcurrent: 20 } } })).batch,
    ).toEqual({ maxConcurrentPerCaller: 1, maxConcurrent: 20 });
    expect(() => readPluginConfig(new ConfigReader({ devlake: { batch: { maxConcurrent: 0 } } }))).toThrow(
      'devlake.batch.maxConcurrent must be a positive integer, got 0',
    );
    expect(() => readPluginConfig(new ConfigReader({ devlake: { batch: { maxConcurrentPerCaller: 1.5 } } }))).toThrow(
      'devlake.batch.maxConcurrentPerCaller must be a positive integer, got 1.5',
    );
  });

  it('rejects an unknown report', () => {
    expect(() => readPluginConfig(new ConfigReader({ devlake: { benchmark: '2022' } }))).toThrow(/2021' or '2023/);
  });
});
