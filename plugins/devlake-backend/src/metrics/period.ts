const dayMs = 24 * 60 * 60 * 1000;
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
// ISO 8601 date-time with a zone (Z or ±hh:mm); without a zone it is read as UTC.
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** A half-open UTC interval [fromMs, toMs) plus the echo of the requested dates. */
export interface Period {
  fromMs: number;
  toMs: number;
  startDate: string;
  endDate: string;
}

/** Parses an ISO 8601 date or date-time; `null` when malformed or not a real date. */
export function parseIsoInstant(value: string, endOfDay: boolean): number | null {
  if (dateOnly.test(value)) {
    const ms = Date.parse(`${value}T00:00:00.000Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) return null;
    return endOfDay ? ms + dayMs : ms;
  }
  if (dateTime.test(value)) {
    const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`;
    const ms = Date.parse(zoned);
    if (Number.isNaN(ms)) return null;
    // Reject rolled-over dates such as 2024-02-30T00:00Z.
    const [y, m, d] = value.slice(0, 10).split('-').map(Number);
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
    return endOfDay ? ms + 1 : ms;
  }
  return null;
}

/**
 * The reporting period. Dates are inclusive: a date-only `endDate` covers that whole UTC
 * day; a date-time `endDate` includes that instant. Defaults: `endDate` today (UTC),
 * `startDate` 30 days before `endDate`'s day.
 */
export function resolvePeriod(
  startDate: string | undefined,
  endDate: string | undefined,
  nowMs: number,
): { period?: Period; error?: { path: string; message: string } } {
  const end = endDate ?? new Date(nowMs).toISOString().slice(0, 10);
  const toMs = parseIsoInstant(end, true);
  if (toMs === null) {
    return { error: { path: 'endDate', message: 'endDate must be an ISO 8601 date (YYYY-MM-DD) or date-time' } };
  }
  const start = startDate ?? new Date(Date.parse(`${end.slice(0, 10)}T00:00:00Z`) - 30 * dayMs).toISOString().slice(0, 10);
  const fromMs = parseIsoInstant(start, false);
  if (fromMs === null) {
    return { error: { path: 'startDate', message: 'startDate must be an ISO 8601 date (YYYY-MM-DD) or date-time' } };
  }
  if (fromMs >= toMs) {
    return { error: { path: 'startDate', message: 'startDate must not be after endDate' } };
  }
  return { period: { fromMs, toMs, startDate: start, endDate: end } };
}

/** The previous period of equal length, ending where `period` starts. */
export function previousPeriod(period: Period): { fromMs: number; toMs: number } {
  return { fromMs: period.fromMs - (period.toMs - period.fromMs), toMs: period.fromMs };
}
