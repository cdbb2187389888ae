import type { DoraBenchmark, DoraMetricsResponse } from '@fawkes/plugin-devlake-common';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { Card, CardBody, CardFooter, CardHeader, Flex, Link, Text } from '@backstage/ui';
import { useState } from 'react';
import { DevLakeErrorPanel } from './DevLakeErrorPanel';
import { grafanaDashboardUrl } from './grafana';
import { MetricTiles, MetricTilesSkeleton } from './MetricTiles';
import { lastDays, Period } from './period';
import { PeriodSelector } from './PeriodSelector';
import { useDevLake } from './useDevLake';

export interface DoraScope {
  /** Catalog entity name or DevLake project name. */
  project?: string;
  /** DevLake team name. */
  team?: string;
}

/** The request for a period: the backend's own default window for the last 30 days. */
export function periodRequest(period: Period): { startDate?: string; endDate?: string } {
  if (period.choice === '30') return {};
  if (period.choice === 'custom') return { startDate: period.startDate, endDate: period.endDate };
  return { startDate: period.startDate };
}

export function useDevLakeConfig(): { grafanaUrl?: string; benchmark: DoraBenchmark } {
  const config = useApi(configApiRef);
  return {
    grafanaUrl: config.getOptionalString('devlake.grafanaUrl'),
    benchmark: (config.getOptionalString('devlake.benchmark') as DoraBenchmark | undefined) ?? '2023',
  };
}

function ageInWords(since: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
}

function isEmpty(response: DoraMetricsResponse): boolean {
  return Object.values(response.metrics).every(metric => metric.value === null);
}

export interface DoraMetricsCardProps {
  scope: DoraScope;
  /** DevLake's name of the scope for the Grafana link (the project annotation or team name). */
  devlakeName?: string;
  title?: string;
  /** Controlled period (the tab shares it with its charts); uncontrolled by default. */
  period?: Period;
  onPeriodChange?: (period: Period) => void;
}

/** DORA metrics of a project or team: four metrics, levels, trends, period, Grafana link. */
export function DoraMetricsCard(props: DoraMetricsCardProps) {
  const [ownPeriod, setOwnPeriod] = useState<Period>(() => lastDays(30));
  const period = props.period ?? ownPeriod;
  const setPeriod = props.onPeriodChange ?? setOwnPeriod;
  const { grafanaUrl, benchmark } = useDevLakeConfig();
  const { project, team } = props.scope;
  const request = periodRequest(period);
  const state = useDevLake(api => api.getDoraMetrics({ project, team, ...request }), [
    project,
    team,
    request.startDate,
    request.endDate,
  ]);
  const response = state.value;
  const shownPeriod = response?.period ?? period;
  const dashboard = grafanaDashboardUrl(
    grafanaUrl,
    team ? { team: props.devlakeName ?? team } : { project: props.devlakeName ?? project },
    shownPeriod,
  );
  const cachedAt = response?.cachedAt;

  return (
    <Card data-testid="dora-card">
      <CardHeader>
        <Flex justify="between" align="end" gap="4" style={{ flexWrap: 'wrap' }}>
          <Flex direction="column" gap="1">
            <Text as="h2" variant="title-small">
              {props.title ?? 'DORA metrics'}
            </Text>
            <Text variant="body-small" color="secondary" data-testid="benchmark">
              Levels from the DORA {benchmark} report
            </Text>
          </Flex>
          <PeriodSelector value={period} onChange={setPeriod} />
        </Flex>
      </CardHeader>
      <CardBody>
        {state.loading && !response && <MetricTilesSkeleton />}
        {state.error && <DevLakeErrorPanel error={state.error} onRetry={state.retry} />}
        {!state.error && response && (
          <Flex direction="column" gap="3">
            {isEmpty(response) && (
              <Text variant="body-medium" data-testid="dora-empty">
                DevLake has no deployments or changes for {team ?? project ?? 'these projects'} in this
                period. Check the entity's devlake.apache.org/project-name annotation, or pick a longer period.
              </Text>
            )}
            <MetricTiles response={response} benchmark={benchmark} />
          </Flex>
        )}
      </CardBody>
      <CardFooter>
        <Flex justify="between" gap="3" style={{ flexWrap: 'wrap' }}>
          <Text variant="body-small" color="secondary" data-testid="period">
            {shownPeriod.startDate.slice(0, 10)} – {shownPeriod.endDate.slice(0, 10)} (UTC)
            {cachedAt && (
              <span data-testid="dora-cached" title={`Computed at ${cachedAt}`}>
                {` · cached ${ageInWords(cachedAt)}`}
              </span>
            )}
          </Text>
          {dashboard && (
            <Link href={dashboard} target="_blank" rel="noopener noreferrer" variant="body-small" data-testid="grafana-link">
              Open DevLake's DORA dashboard in Grafana
            </Link>
          )}
        </Flex>
      </CardFooter>
    </Card>
  );
}
