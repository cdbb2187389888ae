import type { DoraBenchmark, DoraMetricsResponse } from '@fawkes/plugin-devlake-common';
import { Flex, Grid, Skeleton, Text } from '@backstage/ui';
import { LevelChip } from './LevelChip';
import {
  deploymentDaysInWords,
  DoraMetricView,
  formatNumber,
  formatUnit,
  METRICS,
  metricTitle,
  reasonInWords,
  trendInWords,
} from './metrics';

const arrows = { increasing: '↑', decreasing: '↓', stable: '→' } as const;

function Trend(props: { metric: DoraMetricView; higherIsBetter: boolean }) {
  const { trend } = props.metric;
  if (!trend) return null;
  const words = trendInWords(trend, props.higherIsBetter);
  return (
    <Text variant="body-small" color="secondary" data-testid="trend" data-trend={trend}>
      <span aria-hidden="true">{arrows[trend]} </span>
      {words}
    </Text>
  );
}

/** The four metrics with value, unit, level, trend and N/A reasons. */
export function MetricTiles(props: { response: DoraMetricsResponse; benchmark?: DoraBenchmark }) {
  return (
    <Grid.Root columns={{ initial: '1', sm: '2', lg: '4' }} gap="4">
      {METRICS.map(definition => {
        const metric = props.response.metrics[definition.key] as DoraMetricView;
        return (
          <Flex
            key={definition.key}
            direction="column"
            gap="1"
            data-testid={`dora-metric-${definition.key}`}
            role="group"
            aria-label={metricTitle(definition, props.benchmark)}
          >
            <Text variant="body-medium" weight="bold" as="h3">
              {metricTitle(definition, props.benchmark)}
            </Text>
            {metric.value === null ? (
              <>
                <Text variant="title-medium" data-testid="value" data-value="null">
                  N/A
                </Text>
                <Text variant="body-small" color="secondary" data-testid="reason">
                  {reasonInWords(metric.reason)}
                </Text>
              </>
            ) : (
              <>
                <Flex gap="2" align="baseline" style={{ flexWrap: 'wrap' }}>
                  <Text variant="title-medium" data-testid="value" data-value={String(metric.value)}>
                    {formatNumber(metric.value)}
                  </Text>
                  <Text variant="body-medium" color="secondary" data-testid="unit">
                    {formatUnit(metric.unit)}
                  </Text>
                </Flex>
                <Flex gap="2" align="center" style={{ flexWrap: 'wrap' }}>
                  {metric.performance && <LevelChip level={metric.performance} />}
                  <Trend metric={metric} higherIsBetter={definition.higherIsBetter} />
                </Flex>
              </>
            )}
            {definition.key === 'deploymentFrequency' && metric.deploymentDays && (
              <Text variant="body-small" color="secondary" data-testid="deployment-days">
                {deploymentDaysInWords(metric.deploymentDays)}
              </Text>
            )}
          </Flex>
        );
      })}
    </Grid.Root>
  );
}

export function MetricTilesSkeleton() {
  return (
    <Grid.Root columns={{ initial: '1', sm: '2', lg: '4' }} gap="4" data-testid="dora-loading" aria-busy="true">
      {METRICS.map(m => (
        <Flex key={m.key} direction="column" gap="2">
          <Skeleton width="70%" height={16} />
          <Skeleton width="40%" height={28} />
          <Skeleton width="50%" height={16} />
        </Flex>
      ))}
    </Grid.Root>
  );
}
