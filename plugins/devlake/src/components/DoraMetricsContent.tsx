import { useEntity } from '@backstage/plugin-catalog-react';
import { Flex } from '@backstage/ui';
import { useState } from 'react';
import { devlakeProjectName } from './annotations';
import { DeploymentHistoryTable } from './DeploymentHistoryTable';
import { DevLakeErrorPanel } from './DevLakeErrorPanel';
import { DoraMetricsCard, DoraScope } from './DoraMetricsCard';
import { MetricCharts, MetricChartsSkeleton } from './MetricCharts';
import { intervalFor, lastDays, Period } from './period';
import { useDevLake } from './useDevLake';

/** The metrics over time for a scope and period. */
export function DoraSeriesCharts(props: { scope: DoraScope; period: Period }) {
  const interval = intervalFor(props.period);
  // Explicit dates: the series route's own default window is 182 days, the card's 30.
  const startDate = props.period.startDate;
  const endDate = props.period.choice === 'custom' ? props.period.endDate : undefined;
  const state = useDevLake(
    api => api.getDoraSeries({ ...props.scope, startDate, endDate, interval }),
    [props.scope.project, props.scope.team, startDate, endDate, interval],
  );
  if (state.error) return <DevLakeErrorPanel error={state.error} onRetry={state.retry} />;
  if (!state.value) return <MetricChartsSkeleton />;
  return <MetricCharts response={state.value} />;
}

/** Project view: the card's figures, charts over time and the deployment history. */
export function DoraProjectView(props: { project: string; devlakeName?: string }) {
  const [period, setPeriod] = useState<Period>(() => lastDays(90));
  const scope = { project: props.project };
  return (
    <Flex direction="column" gap="4">
      <DoraMetricsCard scope={scope} devlakeName={props.devlakeName} period={period} onPeriodChange={setPeriod} />
      <DoraSeriesCharts scope={scope} period={period} />
      <DeploymentHistoryTable key={props.project} service={props.project} />
    </Flex>
  );
}

/**
 * The entity tab "DORA Metrics".
 *
 * @public
 */
export function EntityDoraContent() {
  const { entity } = useEntity();
  return <DoraProjectView project={entity.metadata.name} devlakeName={devlakeProjectName(entity)} />;
}

/**
 * The entity card.
 *
 * @public
 */
export function EntityDoraCard() {
  const { entity } = useEntity();
  return <DoraMetricsCard scope={{ project: entity.metadata.name }} devlakeName={devlakeProjectName(entity)} />;
}
