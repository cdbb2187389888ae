import { Flex, Text } from '@backstage/ui';
import { useState } from 'react';
import { DoraMetricsCard } from './DoraMetricsCard';
import { DoraSeriesCharts } from './DoraMetricsContent';
import { lastDays, Period } from './period';

/**
 * The plugin page: DORA metrics over every DevLake project.
 *
 * @public
 */
export function DevLakePage() {
  const [period, setPeriod] = useState<Period>(() => lastDays(90));
  return (
    <Flex direction="column" gap="4" p="4">
      <Text variant="body-medium" color="secondary">
        All DevLake projects together. Open a component's "DORA Metrics" tab for one service, or a
        group's tab for a team.
      </Text>
      <DoraMetricsCard scope={{}} title="DORA metrics of all projects" period={period} onPeriodChange={setPeriod} />
      <DoraSeriesCharts scope={{}} period={period} />
    </Flex>
  );
}
