import type { DoraMetricsResponse, DoraPerformance } from '@fawkes/plugin-devlake-common';
import { DEFAULT_NAMESPACE, Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { catalogApiRef, entityRouteRef, useEntity } from '@backstage/plugin-catalog-react';
import { Card, CardBody, CardHeader, Cell, ColumnConfig, Flex, Link, Skeleton, Table, Text, useTable } from '@backstage/ui';
import { useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { devlakeTeamName } from './annotations';
import { describeDevLakeError } from './describeError';
import { DevLakeErrorPanel } from './DevLakeErrorPanel';
import { DoraMetricsCard, periodRequest } from './DoraMetricsCard';
import { LevelChip } from './LevelChip';
import { DoraMetricKey, formatNumber, formatUnit, METRICS } from './metrics';
import { lastDays, Period } from './period';
import { ServiceMetricsState, useServiceMetrics } from './useServiceMetrics';

interface ServiceRow {
  id: string;
  entity: Entity;
  /** The entity page, when the app mounts the catalog's entity route. */
  href?: string;
  state: ServiceMetricsState;
}

const shortTitles: Record<DoraMetricKey, string> = {
  deploymentFrequency: 'Deploys/week',
  leadTimeForChanges: 'Lead time (h)',
  changeFailureRate: 'Change failure rate (%)',
  timeToRestoreService: 'Time to restore (h)',
};

function rowErrorInWords(status: number | undefined): string {
  if (status === 404) return 'not in DevLake';
  if (status === 429) return 'rate limited';
  return status ? `error ${status}` : 'error';
}

function progressInWords(rows: ServiceRow[] | undefined, loaded: number): string {
  if (rows === undefined) return 'Loading the team’s services from the catalog…';
  if (loaded < rows.length) return `Loaded ${loaded} of ${rows.length} services`;
  return `${rows.length} service${rows.length === 1 ? '' : 's'}`;
}

function metricCell(row: ServiceRow, key: DoraMetricKey) {
  if (row.state.status === 'loading') {
    return (
      <Cell>
        <Skeleton width={60} height={14} aria-label="loading" />
      </Cell>
    );
  }
  if (row.state.status === 'error') {
    const view = describeDevLakeError(row.state.error);
    return (
      <Cell>
        <Text variant="body-small" title={view.message}>
          {rowErrorInWords(view.status)}
        </Text>
      </Cell>
    );
  }
  const metric = row.state.response.metrics[key];
  return (
    <Cell>
      <Flex gap="2" align="center">
        <Text variant="body-small" data-value={String(metric.value)}>
          {metric.value === null ? 'N/A' : `${formatNumber(metric.value)}${key === 'changeFailureRate' ? ` ${formatUnit(metric.unit)}` : ''}`}
        </Text>
        {metric.performance && <LevelChip level={metric.performance as DoraPerformance} />}
      </Flex>
    </Cell>
  );
}

function sortValue(row: ServiceRow, column: string): number | string {
  if (column === 'service') return row.entity.metadata.name;
  if (row.state.status !== 'loaded') return Number.POSITIVE_INFINITY;
  const value = (row.state.response as DoraMetricsResponse).metrics[column as DoraMetricKey]?.value;
  return value ?? Number.POSITIVE_INFINITY;
}

const columns: ColumnConfig<ServiceRow>[] = [
  {
    id: 'service',
    label: 'Service',
    isRowHeader: true,
    isSortable: true,
    cell: row => (
      <Cell>
        {row.href ? <Link href={row.href}>{row.entity.metadata.name}</Link> : row.entity.metadata.name}
      </Cell>
    ),
  },
  ...METRICS.map(metric => ({
    id: metric.key,
    label: shortTitles[metric.key],
    isSortable: true,
    cell: (row: ServiceRow) => metricCell(row, metric.key),
  })),
];

/** The services a group owns, from the catalog. */
function useOwnedServices(group: Entity) {
  const catalogApi = useApi(catalogApiRef);
  const ref = stringifyEntityRef(group);
  return useAsyncRetry(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Component', 'relations.ownedBy': ref },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'metadata.annotations'],
    });
    return items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }, [catalogApi, ref]);
}

/** A sortable table of a team's services' metrics, one row per service, loading progressively. */
export function TeamServicesTable(props: { group: Entity; period: Period }) {
  const services = useOwnedServices(props.group);
  const names = useMemo(() => services.value?.map(e => e.metadata.name), [services.value]);
  const states = useServiceMetrics(names, periodRequest(props.period));
  const entityRoute = useRouteRef(entityRouteRef);
  const rows = useMemo<ServiceRow[] | undefined>(
    () =>
      services.value?.map(entity => ({
        id: stringifyEntityRef(entity),
        entity,
        href: entityRoute?.({
          kind: 'component',
          namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
          name: entity.metadata.name,
        }),
        state: states.get(entity.metadata.name) ?? { status: 'loading' },
      })),
    [services.value, states, entityRoute],
  );
  const loaded = rows?.filter(r => r.state.status !== 'loading').length ?? 0;
  const { tableProps } = useTable<ServiceRow>({
    mode: 'complete',
    data: rows,
    initialSort: { column: 'service', direction: 'ascending' },
    sortFn: (data, sort) => {
      const sign = sort.direction === 'descending' ? -1 : 1;
      return [...data].sort((a, b) => {
        const x = sortValue(a, String(sort.column));
        const y = sortValue(b, String(sort.column));
        if (typeof x === 'string' && typeof y === 'string') return sign * x.localeCompare(y);
        return sign * (Number(x) - Number(y));
      });
    },
    paginationOptions: { pageSize: 25, pageSizeOptions: [25, 50, 100] },
  });

  return (
    <Card data-testid="team-services">
      <CardHeader>
        <Text as="h2" variant="title-small">
          Services
        </Text>
        <Text variant="body-small" color="secondary" data-testid="team-services-progress" aria-live="polite">
          {progressInWords(rows, loaded)}
        </Text>
      </CardHeader>
      <CardBody>
        {services.error ? (
          <DevLakeErrorPanel error={services.error} onRetry={services.retry} />
        ) : (
          <Table
            {...tableProps}
            isPending={services.loading && !services.value}
            columnConfig={columns}
            emptyState={<Text data-testid="team-services-empty">This group owns no components in the catalog.</Text>}
          />
        )}
      </CardBody>
    </Card>
  );
}

/**
 * Team view on a Group entity: the team's metrics and its services' metrics.
 *
 * @public
 */
export function EntityTeamDoraContent() {
  const { entity } = useEntity();
  const [period, setPeriod] = useState<Period>(() => lastDays(30));
  const team = devlakeTeamName(entity);
  return (
    <Flex direction="column" gap="4">
      <DoraMetricsCard scope={{ team }} title={`DORA metrics of team ${team}`} period={period} onPeriodChange={setPeriod} />
      <TeamServicesTable group={entity} period={period} />
    </Flex>
  );
}
