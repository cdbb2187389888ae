/** A reporting period of the card: the last 30/90/180 days or a custom range. */
export type PeriodChoice = '30' | '90' | '180' | 'custom';

export interface Period {
  choice: PeriodChoice;
  /** ISO dates (YYYY-MM-DD), UTC. */
  startDate: string;
  endDate: string;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The last `days` days ending today (UTC), as the backend's default window is formed. */
export function lastDays(days: number, now: Date = new Date()): Period {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const start = new Date(end.getTime() - days * 24 * 3600 * 1000);
  return { choice: String(days) as PeriodChoice, startDate: isoDate(start), endDate: isoDate(end) };
}

/** Weekly buckets for up to 90 days, monthly beyond. */
export function intervalFor(period: Period): 'week' | 'month' {
  const days = (Date.parse(period.endDate) - Date.parse(period.startDate)) / (24 * 3600 * 1000);
  return days <= 92 ? 'week' : 'month';
}
