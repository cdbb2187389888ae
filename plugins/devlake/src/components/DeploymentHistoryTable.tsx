import type { Deployment, DeploymentEnvironment } from '@fawkes/plugin-devlake-common';
import { Card, CardBody, CardHeader, Cell, CellText, ColumnConfig, Flex, Link, Select, Table, Text, useTable } from '@backstage/ui';
import { useMemo, useState } from 'react';
import { DevLakeErrorPanel } from './DevLakeErrorPanel';
import { useDevLake } from './useDevLake';

/** A deployment as the backend sends it; `url` is read when the backend sends it. */
type DeploymentRow = Deployment & { url?: string | null };

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

/** The backend's page size maximum: the table pages through the newest 100. */
const FETCH_LIMIT = 100;

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
  if (total > FETCH_LIMIT) return `Newest ${FETCH_LIMIT} of ${total} deployments`;
  return `${total} deployment${total === 1 ? '' : 's'}`;
}

function newestFirst(a: DeploymentRow, b: DeploymentRow): number {
  return (b.startTime ?? '').localeCompare(a.startTime ?? '');
}

/** The service's deployments, newest first, paged, with environment and status filters. */
export function DeploymentHistoryTable(props: { service: string; pageSize?: number }) {
  const [environment, setEnvironment] = useState('all');
  const [status, setStatus] = useState('all');
  const state = useDevLake(
    api =>
      api.getDeploymentHistory({
        service: props.service,
        environment: environment === 'all' ? undefined : (environment as DeploymentEnvironment),
        limit: FETCH_LIMIT,
      }),
    [props.service, environment],
  );
  const rows = useMemo(() => {
    if (!state.value) return undefined;
    return (state.value.deployments as DeploymentRow[])
      .filter(d => status === 'all' || d.status === status)
      .sort(newestFirst);
  }, [state.value, status]);
  const { tableProps } = useTable<DeploymentRow>({
    mode: 'complete',
    data: rows,
    paginationOptions: { pageSize: props.pageSize ?? 10, pageSizeOptions: [10, 20, 50] },
  });
  const total = state.value?.total;

  return (
    <Card data-testid="deployment-history">
      <CardHeader>
        <Flex justify="between" align="end" gap="4" style={{ flexWrap: 'wrap' }}>
          <Flex direction="column" gap="1">
            <Text as="h2" variant="title-small">
              Deployment history
            </Text>
            <Text variant="body-small" color="secondary" data-testid="deployment-total">
              {totalInWords(total)}
            </Text>
          </Flex>
          <Flex gap="2">
            <Select label="Environment" options={environments} value={environment} onChange={k => setEnvironment(String(k))} />
            <Select label="Result" options={statuses} value={status} onChange={k => setStatus(String(k))} />
          </Flex>
        </Flex>
      </CardHeader>
      <CardBody>
        {state.error ? (
          <DevLakeErrorPanel error={state.error} onRetry={state.retry} />
        ) : (
          <Table
            {...tableProps}
            isPending={state.loading && !state.value}
            columnConfig={columns}
            emptyState={<Text data-testid="deployment-history-empty">No deployments match these filters.</Text>}
          />
        )}
      </CardBody>
    </Card>
  );
}
