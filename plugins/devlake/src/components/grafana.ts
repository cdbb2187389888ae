import type { Period } from './period';

// The uids of the dashboards DevLake ships (grafana/dashboards/DORA.json, DORAByTeam.json).
const DORA_DASHBOARD = 'qNo8_0M4z/dora';
const DORA_BY_TEAM_DASHBOARD = '66YkL8y4z/dora-by-team';

/** A link to DevLake's DORA dashboard for the scope and period, or undefined without a URL. */
export function grafanaDashboardUrl(
  grafanaUrl: string | undefined,
  scope: { project?: string; team?: string },
  period: { startDate: string; endDate: string } | Period,
): string | undefined {
  if (!grafanaUrl) return undefined;
  const base = grafanaUrl.replace(/\/+$/, '');
  const params = new URLSearchParams();
  params.set('from', String(Date.parse(`${period.startDate.slice(0, 10)}T00:00:00Z`)));
  params.set('to', String(Date.parse(`${period.endDate.slice(0, 10)}T23:59:59Z`)));
  if (scope.team) {
    params.set('var-team', scope.team);
    return `${base}/d/${DORA_BY_TEAM_DASHBOARD}?${params}`;
  }
  if (scope.project) params.set('var-project', scope.project);
  return `${base}/d/${DORA_DASHBOARD}?${params}`;
}
