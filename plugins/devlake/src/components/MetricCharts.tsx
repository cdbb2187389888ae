import type { DoraBenchmark, DoraSeriesBucket, DoraSeriesResponse } from '@fawkes/plugin-devlake-common';
import { Card, CardBody, CardHeader, Flex, Grid, Skeleton, Text } from '@backstage/ui';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { LEVEL_COLORS, LEVEL_LABELS } from './metrics';
import { levelBands } from './thresholds';

type SeriesKey = 'deploymentDays' | 'leadTimeForChanges' | 'changeFailureRate' | 'timeToRestoreService';

const charts: { key: SeriesKey; title: (report: DoraBenchmark) => string; unit: string }[] = [
  { key: 'deploymentDays', title: () => 'Deployment days', unit: 'days' },
  { key: 'leadTimeForChanges', title: () => 'Median lead time for changes', unit: 'hours' },
  { key: 'changeFailureRate', title: () => 'Change failure rate', unit: '%' },
  {
    key: 'timeToRestoreService',
    title: report => (report === '2023' ? 'Median failed deployment recovery time' : 'Median time to restore service'),
    unit: 'hours',
  },
];

function bucketLabel(bucket: DoraSeriesBucket, interval: 'week' | 'month'): string {
  return interval === 'month' ? bucket.start.slice(0, 7) : bucket.start.slice(5, 10);
}

function MetricChart(props: {
  chartKey: SeriesKey;
  title: string;
  unit: string;
  response: DoraSeriesResponse;
  report: DoraBenchmark;
}) {
  const { chartKey, response } = props;
  const data = response.buckets.map(bucket => ({
    label: bucketLabel(bucket, response.interval),
    value: bucket[chartKey],
    deployments: bucket.deployments,
  }));
  const bands = levelBands(chartKey, props.report, response.interval);
  const areas = bands.map(band => (
    <ReferenceArea
      key={band.level}
      y1={band.from}
      y2={band.to}
      ifOverflow="hidden"
      fill={LEVEL_COLORS[band.level].background}
      fillOpacity={0.6}
      strokeOpacity={0}
    />
  ));
  const common = (
    <>
      {areas}
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="label" fontSize={12} />
      <YAxis fontSize={12} width={44} />
      <Tooltip
        formatter={(value: unknown, _name: unknown, item: { payload?: { deployments: number } }) => {
          if (value === null || value === undefined) return ['N/A', props.title];
          if (chartKey === 'deploymentDays') {
            return [`${value} days, ${item.payload?.deployments ?? 0} deployments`, props.title];
          }
          return [`${value} ${props.unit}`, props.title];
        }}
      />
    </>
  );
  return (
    <Card data-testid={`dora-chart-${chartKey}`} data-points={data.length}>
      <CardHeader>
        <Text as="h3" variant="body-medium" weight="bold">
          {props.title}
        </Text>
        <Text variant="body-x-small" color="secondary">
          {response.interval === 'week' ? 'Weekly' : 'Monthly'} · bands:{' '}
          {bands.map(b => LEVEL_LABELS[b.level]).join(', ')} (DORA {props.report})
        </Text>
      </CardHeader>
      <CardBody>
        <div style={{ width: '100%', height: 220 }} role="img" aria-label={`${props.title}, ${data.length} ${response.interval}s`}>
          <ResponsiveContainer>
            {chartKey === 'deploymentDays' ? (
              <BarChart data={data}>
                {common}
                <Bar dataKey="value" fill="#1f5493" isAnimationActive={false} />
              </BarChart>
            ) : (
              <LineChart data={data}>
                {common}
                <Line dataKey="value" stroke="#1f5493" strokeWidth={2} connectNulls={false} isAnimationActive={false} />
              </LineChart>
            )}
          </ResponsiveContainer>
        </div>
      </CardBody>
    </Card>
  );
}

/** One chart per metric over the series' buckets, the report's levels as bands. */
export function MetricCharts(props: { response: DoraSeriesResponse; report?: DoraBenchmark }) {
  const report = props.report ?? props.response.benchmark;
  if (props.response.buckets.length === 0) {
    return (
      <Text variant="body-medium" data-testid="dora-series-empty">
        No buckets in this period.
      </Text>
    );
  }
  return (
    <Grid.Root columns={{ initial: '1', md: '2' }} gap="4" data-testid="dora-charts">
      {charts.map(chart => (
        <MetricChart
          key={chart.key}
          chartKey={chart.key}
          title={chart.title(report)}
          unit={chart.unit}
          response={props.response}
          report={report}
        />
      ))}
    </Grid.Root>
  );
}

export function MetricChartsSkeleton() {
  return (
    <Grid.Root columns={{ initial: '1', md: '2' }} gap="4" aria-busy="true" data-testid="dora-charts-loading">
      {charts.map(chart => (
        <Flex key={chart.key} direction="column" gap="2">
          <Skeleton width="40%" height={16} />
          <Skeleton width="100%" height={200} />
        </Flex>
      ))}
    </Grid.Root>
  );
}
