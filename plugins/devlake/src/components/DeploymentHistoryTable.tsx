import type { Deployment, DeploymentEnvironment, DeploymentStatus } from '@fawkes/plugin-devlake-common';
import { useApi } from '@backstage/frontend-plugin-api';
import { Card, CardBody, CardHeader, Cell, CellText, ColumnConfig, Flex, Link, Select, Table, Text, useTable } from '@backstage/ui';
import { useState } from 'react';
import { devlakeApiRef } from '../api/DevLakeApi';
import { DevLakeErrorPanel } from './DevLakeErrorPanel';

type DeploymentRow = Deployment;

const environments = [
  { id: 'all', label: 'All environments' },
  { id: 'prod', label: 'Production' },
  { id: 'staging', label: 'Staging' },
  { id: 'dev', label: 'Development / testing' },
];
const statuses = [
  { id: 'all', label: 'All results' },
  { id: 'SUCCESS', label: 'Success' },
  { id: 'FAILURE', label: 'Failure' },
];

const columns: ColumnConfig<DeploymentRow>[] = [
  { id: 'version', label: 'Version', isRowHeader: true, cell: d => <CellText title={d.version ?? '—'} /> },
  { id: 'environment', label: 'Environment', cell: d => <CellText title={d.environment ?? '—'} /> },
  { id: 'status', label: 'Status', cell: d => <CellText title={d.status ?? '—'} /> },
  {
    id: 'start',
    label: 'Start (UTC)',
    cell: d => <CellText title={d.startTime ? d.startTime.replace('T', ' ').slice(0, 16) : '—'} />,
  },
  {
    id: 'duration',
    label: 'Duration',
    cell: d => <CellText title={d.duration === null ? '—' : compactDuration(Math.round(d.duration))} />,
  },
  {
    id: 'commit',
    label: 'Commit',
    cell: d => (
      <CellText
        title={`${d.commit.sha.slice(0, 7)} ${d.commit.message?.split('\n')[0] ?? ''}`.trim()}
        description={d.commit.author ?? undefined}
      />
    ),
  },
  {
    id: 'link',
    label: 'Link',
    cell: d => (
      <Cell>
        {d.url ? (
          <Link href={d.url} target="_blank" rel="noopener noreferrer">
            Open
          </Link>
        ) : (
          <Text variant="body-small" color="secondary">
            —
          </Text>
        )}
      </Cell>
    ),
  },
];

/** "10 min 58 s", "45 s", "2 h 5 min". */
function compactDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

function totalInWords(total: number | undefined): string {
  if (total === undefined) return ' ';
  return `${total} deployment${total === 1 ? '' : 's'}`;
}

interface HistoryFilter {
  environment: string;
  status: string;
}

/**
 * The service's deployments, newest first, paged by the backend (`offset`/`limit`), with
 * environment and result filters applied by the backend too. Render it with `key={service}`
 * where the service can change: the pages it holds are the service's.
 */
export function DeploymentHistoryTable(props: { service: string; pageSize?: number }) {
  const api = useApi(devlakeApiRef);
  const [filter, setFilter] = useState<HistoryFilter>({ environment: 'all', status: 'all' });
  const [total, setTotal] = useState<number>();
  const { tableProps, reload } = useTable<DeploymentRow, HistoryFilter>({
    mode: 'offset',
    filter,
    onFilterChange: setFilter,
    getData: async ({ offset, pageSize, filter: current, signal }) => {
      const response = await api.getDeploymentHistory({
        service: props.service,
        environment: current?.environment === 'all' ? undefined : (current?.environment as DeploymentEnvironment),
        status: current?.status === 'all' ? undefined : (current?.status as DeploymentStatus),
        limit: pageSize,
        offset,
      });
      if (!signal.aborted) setTotal(response.total);
      return { data: response.deployments, totalCount: response.total };
    },
    paginationOptions: { pageSize: props.pageSize ?? 10, pageSizeOptions: [10, 20, 50] },
  });

  return (
    <Card data-testid="deployment-history">
      <CardHeader>
        <Flex justify="between" align="end" gap="4" style={{ flexWrap: 'wrap' }}>
          <Flex direction="column" gap="1">
            <Text as="h2" variant="title-small">
              Deployment history
            </Text>
            <Text variant="body-small" color="secondary" data-testid="deployment-total">
              {tableProps.error ? ' ' : totalInWords(total)}
            </Text>
          </Flex>
          <Flex gap="2">
            <Select
              label="Environment"
              options={environments}
              value={filter.environment}
              onChange={k => setFilter(f => ({ ...f, environment: String(k) }))}
            />
            <Select
              label="Result"
              options={statuses}
              value={filter.status}
              onChange={k => setFilter(f => ({ ...f, status: String(k) }))}
            />
          </Flex>
        </Flex>
      </CardHeader>
      <CardBody>
        {tableProps.error ? (
          <DevLakeErrorPanel error={tableProps.error} onRetry={reload} />
        ) : (
          <Table
            {...tableProps}
            columnConfig={columns}
            emptyState={<Text data-testid="deployment-history-empty">No deployments match these filters.</Text>}
          />
        )}
      </CardBody>
    </Card>
  );
}
