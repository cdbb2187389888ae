const dayMs = 24 * 60 * 60 * 1000;
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
// ISO 8601 date-time with a zone (Z or ±hh:mm); without a zone it is read as UTC.
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * The reporting period as Grafana hands it to DevLake's dashboard SQL: `fromMs` and `toMs`
 * are whole seconds (Grafana's macros pass epoch seconds), and both ends are inclusive
 * (`$__timeFilter(x)` is `x BETWEEN FROM_UNIXTIME(from) AND FROM_UNIXTIME(to)`).
 */
export interface Period {
  fromMs: number;
  toMs: number;
  startDate: string;
  endDate: string;
}

const floorToSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

/**
 * Parses an ISO 8601 date or date-time into the instant Grafana would send, in whole
 * seconds; `null` when malformed or not a real date. A date-only value is its UTC midnight,
 * or with `endOfDay` its last whole second (23:59:59), which is what Grafana's time picker
 * sends as `to` for a day.
 */
export function parseIsoInstant(value: string, endOfDay: boolean): number | null {
  if (dateOnly.test(value)) {
    const ms = Date.parse(`${value}T00:00:00.000Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) return null;
    return endOfDay ? ms + dayMs - 1000 : ms;
  }
  if (dateTime.test(value)) {
    const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`;
    const ms = Date.parse(zoned);
    if (Number.isNaN(ms)) return null;
    // Reject rolled-over dates such as 2024-02-30T00:00Z.
    const [y, m, d] = value.slice(0, 10).split('-').map(Number);
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
    return floorToSecond(ms);
  }
  return null;
}

/**
 * The reporting period. Both dates are inclusive: a date-only `endDate` covers that whole
 * UTC day up to 23:59:59 (Grafana's `to` for that day); a date-time is taken to the whole
 * second, as Grafana does. Defaults: `endDate` today (UTC), `startDate` `defaultDays` days
 * before `endDate`'s day.
 */
export function resolvePeriod(
  startDate: string | undefined,
  endDate: string | undefined,
  nowMs: number,
  defaultDays = 30,
): { period?: Period; error?: { path: string; message: string } } {
  const end = endDate ?? new Date(nowMs).toISOString().slice(0, 10);
  const toMs = parseIsoInstant(end, true);
  if (toMs === null) {
    return { error: { path: 'endDate', message: 'endDate must be an ISO 8601 date (YYYY-MM-DD) or date-time' } };
  }
  const start =
    startDate ?? new Date(Date.parse(`${end.slice(0, 10)}T00:00:00Z`) - defaultDays * dayMs).toISOString().slice(0, 10);
  const fromMs = parseIsoInstant(start, false);
  if (fromMs === null) {
    return { error: { path: 'startDate', message: 'startDate must be an ISO 8601 date (YYYY-MM-DD) or date-time' } };
  }
  if (fromMs > toMs) {
    return { error: { path: 'startDate', message: 'startDate must not be after endDate' } };
  }
  return { period: { fromMs, toMs, startDate: start, endDate: end } };
}

/** The previous period of equal length, ending the second before `period` starts. */
export function previousPeriod(period: { fromMs: number; toMs: number }): { fromMs: number; toMs: number } {
  const length = period.toMs - period.fromMs + 1000;
  return { fromMs: period.fromMs - length, toMs: period.fromMs - 1000 };
}

/** Whether an instant is in a period, both ends inclusive, like SQL's BETWEEN. */
export function within(ms: number | null, period: { fromMs: number; toMs: number }): boolean {
  return ms !== null && ms >= period.fromMs && ms <= period.toMs;
}
