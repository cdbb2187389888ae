import type {
  DoraBenchmark,
  DoraMetric,
  DoraMetricsResponse,
  DoraPerformance,
  DoraTrend,
} from '@fawkes/plugin-devlake-common';

export type DoraMetricKey = keyof DoraMetricsResponse['metrics'];

/**
 * A metric as the backend sends it. `reason` (why the value is N/A) and `deploymentDays`
 * (DevLake's own frequency figure) are read when the backend sends them.
 */
export type DoraMetricView = DoraMetric<string> & {
  reason?: string | null;
  deploymentDays?: { value: number | null; per: string } | null;
};

export interface MetricDefinition {
  key: DoraMetricKey;
  title: string;
  /** Whether a higher value is better (only deployment frequency). */
  higherIsBetter: boolean;
}

export const METRICS: MetricDefinition[] = [
  { key: 'deploymentFrequency', title: 'Deployment frequency', higherIsBetter: true },
  { key: 'leadTimeForChanges', title: 'Lead time for changes', higherIsBetter: false },
  { key: 'changeFailureRate', title: 'Change failure rate', higherIsBetter: false },
  { key: 'timeToRestoreService', title: 'Time to restore service', higherIsBetter: false },
];

/** The 2023 report renames time to restore. */
export function metricTitle(metric: MetricDefinition, benchmark?: DoraBenchmark): string {
  if (metric.key === 'timeToRestoreService' && benchmark === '2023') {
    return 'Failed deployment recovery time';
  }
  return metric.title;
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A metric value as the card shows it (at most two decimals). */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

const unitLabels: Record<string, string> = {
  'deploys/week': 'deploys/week',
  hours: 'hours',
  percent: '%',
};

export function formatUnit(unit: string): string {
  return unitLabels[unit] ?? unit;
}

const reasons: Record<string, string> = {
  'no-deployments': 'No production deployments in this period',
  'no-incidents-collected': 'No incidents are collected in DevLake for this scope',
  'no-incidents': 'No incidents in this period',
  'insufficient-data': 'Not enough data for a median',
  'no-changes': 'No deployed changes in this period',
  'no-data': 'No data in this period',
};

/** Why a value is N/A, in words. */
export function reasonInWords(reason: string | null | undefined): string {
  if (!reason) return 'No data in this period';
  return reasons[reason] ?? reason.replace(/[-_]/g, ' ').replace(/^./, c => c.toUpperCase());
}

export const LEVEL_LABELS: Record<DoraPerformance, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** Background and text colours with at least 4.5:1 contrast. */
export const LEVEL_COLORS: Record<DoraPerformance, { background: string; color: string }> = {
  elite: { background: '#c8e6c9', color: '#1b5e20' },
  high: { background: '#d7ecff', color: '#0b4f8a' },
  medium: { background: '#fff1c2', color: '#6d4c00' },
  low: { background: '#ffd6d6', color: '#9b1c1c' },
};

export function trendInWords(trend: DoraTrend, higherIsBetter: boolean): string {
  if (trend === 'stable') return 'stable against the previous period';
  const better = (trend === 'increasing') === higherIsBetter;
  return `${trend} against the previous period (${better ? 'better' : 'worse'})`;
}

const perLabels: Record<string, string> = {
  week: 'week',
  month: 'month',
  sixMonths: 'six months',
  'six-months': 'six months',
};

/** "5 deployment days per week". */
export function deploymentDaysInWords(days: { value: number | null; per: string }): string {
  const per = perLabels[days.per] ?? days.per;
  if (days.value === null) return `No deployment days per ${per}`;
  return `${formatNumber(days.value)} deployment day${days.value === 1 ? '' : 's'} per ${per} (median)`;
}
