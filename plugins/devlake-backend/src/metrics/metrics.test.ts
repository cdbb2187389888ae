import { changeFailureRatePerformance, deploymentFrequencyPerformance, leadTimePerformance, recoveryPerformance } from './benchmarks';
import { calendarDays, deploymentDayMedians, monthOf, weekOf } from './calendar';
import { lowerMedian, upperMedian } from './median';
import { parseIsoInstant, previousPeriod, resolvePeriod } from './period';
import { trendOf } from './trend';

const at = (iso: string) => Date.parse(iso);

describe('medians', () => {
  it.each([
    [[1, 2, 3, 4], 2],
    [[1, 2, 3], 2],
    [[2, 4], 2],
    [[5], 5],
    [[1, 1, 5, 5], 1],
    [[4, 3, 2, 1], 2],
    [[], null],
  ])('lower median of %p is %p', (values, expected) => {
    expect(lowerMedian(values)).toBe(expected);
  });

  it.each([
    [[1, 2, 3, 4], 3],
    [[1, 1, 1, 4], 4],
    [[2, 4], 4],
    [[5], null],
    [[], null],
  ])('upper median of %p is %p', (values, expected) => {
    expect(upperMedian(values)).toBe(expected);
  });
});

describe('calendar', () => {
  it('buckets by Monday weeks and months in UTC', () => {
    expect(weekOf('2024-03-10')).toBe('2024-03-04'); // Sunday → previous Monday
    expect(weekOf('2024-03-11')).toBe('2024-03-11');
    expect(monthOf('2024-02-29')).toBe('2024-02-01');
  });

  it('builds the calendar with an exclusive start, capped at 1000 days', () => {
    expect(calendarDays(at('2024-03-04T00:00:00Z'), at('2024-03-06T23:59:59.999Z'))).toEqual([
      '2024-03-04',
      '2024-03-05',
      '2024-03-06',
    ]);
    expect(calendarDays(at('2000-01-01T00:00:00Z'), at('2024-01-01T00:00:00Z'))).toHaveLength(1000);
  });

  it('counts deployment days, empty buckets as 0', () => {
    const calendar = calendarDays(at('2024-03-04T00:00:00Z'), at('2024-03-24T23:59:59.999Z'));
    // Three weeks: 3 days, 0 days, 1 day (two deployments on one day count once).
    const medians = deploymentDayMedians(calendar, [
      at('2024-03-04T10:00:00Z'),
      at('2024-03-05T00:00:00Z'),
      at('2024-03-05T23:59:59.999Z'),
      at('2024-03-06T12:00:00Z'),
      at('2024-03-20T12:00:00Z'),
      at('2024-03-20T13:00:00Z'),
    ]);
    expect(medians).toEqual({ perWeek: 1, perMonth: 4, perSixMonths: null });
  });

  it('samples six-month rolling sums every 6th month from the newest', () => {
    // 2023: one deployment day a month in Jan–Jun, two in Jul–Dec. Rolling six-month sums
    // end in 6 (Jun) and 12 (Dec); the samples [6, 12] give an upper median of 12.
    const calendar = calendarDays(at('2022-12-31T23:59:59Z'), at('2023-12-31T23:59:59Z'));
    const times = Array.from({ length: 12 }, (_, m) => Date.UTC(2023, m, 15, 12));
    const second = Array.from({ length: 6 }, (_, m) => Date.UTC(2023, m + 6, 16, 12));
    expect(deploymentDayMedians(calendar, [...times, ...second])).toEqual({ perWeek: 0, perMonth: 1, perSixMonths: 12 });
    // Tied samples all have percent_rank 0, so, as in the dashboard's SQL, there is no value.
    expect(deploymentDayMedians(calendar, times).perSixMonths).toBeNull();
  });
});

describe('benchmarks (edges)', () => {
  const m = (perWeek: number | null, perMonth: number | null, perSixMonths: number | null) => ({
    perWeek,
    perMonth,
    perSixMonths,
  });
  it('deployment frequency uses >=', () => {
    expect(deploymentFrequencyPerformance(m(5, 20, 100), '2023')).toBe('elite');
    expect(deploymentFrequencyPerformance(m(4, 16, 100), '2023')).toBe('high');
    expect(deploymentFrequencyPerformance(m(1, 4, 20), '2023')).toBe('high');
    expect(deploymentFrequencyPerformance(m(0, 1, 6), '2023')).toBe('medium');
    expect(deploymentFrequencyPerformance(m(0, 0, 6), '2023')).toBe('low');
    expect(deploymentFrequencyPerformance(m(5, 20, 100), '2021')).toBe('elite');
    expect(deploymentFrequencyPerformance(m(4, 1, 6), '2021')).toBe('high');
    expect(deploymentFrequencyPerformance(m(0, 0, 1), '2021')).toBe('medium');
    expect(deploymentFrequencyPerformance(m(0, 0, 0), '2021')).toBe('low');
    // No six-month sample ranked ≥ 0.5: the dashboard's is_collected is NULL → N/A.
    expect(deploymentFrequencyPerformance(m(0, 0, null), '2021')).toBeNull();
    expect(deploymentFrequencyPerformance(m(0, 0, null), '2023')).toBeNull();
    expect(deploymentFrequencyPerformance(m(0, 1, null), '2023')).toBe('medium');
  });

  it('lead time uses <', () => {
    expect(leadTimePerformance(1439, '2023')).toBe('elite');
    expect(leadTimePerformance(1440, '2023')).toBe('high');
    expect(leadTimePerformance(7 * 1440 - 1, '2023')).toBe('high');
    expect(leadTimePerformance(7 * 1440, '2023')).toBe('medium');
    expect(leadTimePerformance(30 * 1440 - 1, '2023')).toBe('medium');
    expect(leadTimePerformance(30 * 1440, '2023')).toBe('low');
    expect(leadTimePerformance(59, '2021')).toBe('elite');
    expect(leadTimePerformance(60, '2021')).toBe('high');
    expect(leadTimePerformance(7 * 1440, '2021')).toBe('medium');
    expect(leadTimePerformance(180 * 1440 - 1, '2021')).toBe('medium');
    expect(leadTimePerformance(180 * 1440, '2021')).toBe('low');
  });

  it('change failure rate uses <=', () => {
    expect(changeFailureRatePerformance(0.05, '2023')).toBe('elite');
    expect(changeFailureRatePerformance(0.0501, '2023')).toBe('high');
    expect(changeFailureRatePerformance(0.1, '2023')).toBe('high');
    expect(changeFailureRatePerformance(0.15, '2023')).toBe('medium');
    expect(changeFailureRatePerformance(0.1501, '2023')).toBe('low');
    expect(changeFailureRatePerformance(0.15, '2021')).toBe('elite');
    expect(changeFailureRatePerformance(0.2, '2021')).toBe('high');
    expect(changeFailureRatePerformance(0.3, '2021')).toBe('medium');
    expect(changeFailureRatePerformance(0.3001, '2021')).toBe('low');
  });

  it('recovery uses <', () => {
    expect(recoveryPerformance(59)).toBe('elite');
    expect(recoveryPerformance(60)).toBe('high');
    expect(recoveryPerformance(1439)).toBe('high');
    expect(recoveryPerformance(1440)).toBe('medium');
    expect(recoveryPerformance(7 * 1440 - 1)).toBe('medium');
    expect(recoveryPerformance(7 * 1440)).toBe('low');
  });
});

describe('trend', () => {
  it.each([
    [110, 100, 'stable'],
    [90, 100, 'stable'],
    [110.01, 100, 'increasing'],
    [89.99, 100, 'decreasing'],
    [5.5, 5, 'stable'],
    [0, 0, 'stable'],
    [1, 0, 'increasing'],
    [null, 1, null],
    [1, null, null],
  ] as const)('%p against %p is %p', (current, previous, expected) => {
    expect(trendOf(current, previous)).toBe(expected);
  });
});

describe('period', () => {
  const now = at('2024-12-01T15:00:00Z');
  it('defaults to the last 30 days ending today', () => {
    const { period } = resolvePeriod(undefined, undefined, now);
    expect(period).toEqual({
      startDate: '2024-11-01',
      endDate: '2024-12-01',
      fromMs: at('2024-11-01T00:00:00Z'),
      // Grafana's `to` for a day: its last whole second, inclusive.
      toMs: at('2024-12-01T23:59:59Z'),
    });
    expect(previousPeriod(period!)).toEqual({ fromMs: at('2024-10-01T00:00:00Z'), toMs: at('2024-10-31T23:59:59Z') });
  });

  it.each(['2024-13-01', '2024-02-30', 'yesterday', '2024-1-1', '2024-02-30T00:00:00Z', ''])('rejects %p', value => {
    expect(parseIsoInstant(value, false)).toBeNull();
  });

  it('accepts date-times with zones and rejects reversed ranges', () => {
    expect(parseIsoInstant('2024-03-04T10:00:00+02:00', false)).toBe(at('2024-03-04T08:00:00Z'));
    expect(resolvePeriod('2024-03-05', '2024-03-04', now).error?.message).toMatch(/after/);
    expect(resolvePeriod('2024-03-04', '2024-03-04', now).period).toBeDefined();
  });
});
