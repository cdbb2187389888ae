import { ConfigReader } from '@backstage/config';
import { readDurationMs } from './readDurationMs';

const read = (value: unknown, options: Parameters<typeof readDurationMs>[2] = { default: { seconds: 10 } }) =>
  readDurationMs(new ConfigReader(value === undefined ? {} : { a: { t: value } }), 'a.t', options);

describe('readDurationMs', () => {
  it('reads every form Backstage accepts, and plain numbers as milliseconds', () => {
    expect(read({ minutes: 1, seconds: 30 })).toBe(90_000);
    expect(read('1m')).toBe(60_000);
    expect(read('2 seconds')).toBe(2000);
    expect(read('PT1M30S')).toBe(90_000);
    expect(read(1500)).toBe(1500);
  });

  it('falls back to the default, given as a duration or in milliseconds', () => {
    expect(read(undefined)).toBe(10_000);
    expect(read(undefined, { default: 250 })).toBe(250);
  });

  it('refuses zero unless allowed, negative values, unit-less strings and unknown units', () => {
    expect(() => read(0)).toThrow(/Invalid duration at 'a.t': must be positive/);
    expect(read(0, { default: 1, allowZero: true })).toBe(0);
    expect(read({ seconds: 0 }, { default: 1, allowZero: true })).toBe(0);
    expect(() => read(-5, { default: 1, allowZero: true })).toThrow(/zero or positive/);
    expect(() => read({ seconds: -1 })).toThrow(/must be positive/);
    expect(() => read('1000')).toThrow(/plain number/);
    expect(() => read('soon')).toThrow(/Invalid duration 'soon'/);
    expect(() => read({ fortnights: 1 })).toThrow(/Failed to read duration from config at 'a.t'/);
  });
});
