import { ConfigReader } from '@backstage/config';
import { readCatalogExtensionsConfig } from './config';

const readTimeoutMs = (catalogExtensions?: object) =>
  readCatalogExtensionsConfig(new ConfigReader(catalogExtensions ? { catalogExtensions } : {})).readTimeoutMs;

describe('catalogExtensions.readTimeout', () => {
  it('defaults to 10 s and takes a duration', () => {
    expect(readTimeoutMs()).toBe(10_000);
    expect(readTimeoutMs({ readTimeout: '2s' })).toBe(2000);
    expect(readTimeoutMs({ readTimeout: { seconds: 3 } })).toBe(3000);
  });

  it('still reads the older readTimeoutMs, unless readTimeout is set', () => {
    expect(readTimeoutMs({ readTimeoutMs: 1500 })).toBe(1500);
    expect(readTimeoutMs({ readTimeoutMs: 1500, readTimeout: '4s' })).toBe(4000);
    expect(() => readTimeoutMs({ readTimeoutMs: 0 })).toThrow(/must be positive/);
  });
});
