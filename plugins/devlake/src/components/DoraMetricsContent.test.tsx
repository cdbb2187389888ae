import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { devlakeApiRef } from '../api/DevLakeApi';
import { doraResponse, fakeDevLakeBackend, jsonError, pending } from '../testUtils/fakeDevLakeBackend';
import { EntityDoraContent } from './DoraMetricsContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'my-service', annotations: { 'devlake.apache.org/project-name': 'my-service' } },
  spec: { type: 'service', owner: 'platform-team', lifecycle: 'production' },
};

const buckets = Array.from({ length: 13 }, (_, i) => ({
  start: new Date(Date.UTC(2026, 8, 7 + 7 * i)).toISOString().slice(0, 10),
  end: new Date(Date.UTC(2026, 8, 13 + 7 * i)).toISOString().slice(0, 10),
  deployments: 2 * i,
  deploymentDays: Math.min(i, 7),
  leadTimeForChanges: i % 4 === 0 ? null : 20 + i,
  changeFailureRate: 5,
  timeToRestoreService: 2,
}));

function deployments(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `d${i}`,
    version: `v1.${count - i}`,
    environment: i % 3 === 0 ? 'staging' : 'prod',
    status: i % 5 === 0 ? 'FAILURE' : 'SUCCESS',
    startTime: new Date(Date.UTC(2026, 10, 30) - ((i * 7) % count) * 3_600_000).toISOString(),
    endTime: null,
    duration: 65,
    triggeredBy: null,
    commit: { sha: `abcdef${i}0000`, message: `feat: change ${i}\nbody`, author: `dev${i}@example.com` },
  }));
}

/** The backend's paging: newest first, filtered, `offset` and `limit` applied. */
function history(all = deployments(25)) {
  const newest = [...all].sort((a, b) => b.startTime.localeCompare(a.startTime));
  return (q: URLSearchParams) => {
    const env = q.get('environment');
    const status = q.get('status');
    const matching = newest.filter(d => (!env || d.environment === env) && (!status || d.status === status));
    const offset = Number(q.get('offset') ?? 0);
    const limit = Number(q.get('limit') ?? 20);
    return {
      body: { service: 'my-service', deployments: matching.slice(offset, offset + limit), total: matching.length, offset, limit },
    };
  };
}

async function renderTab(routes: Parameters<typeof fakeDevLakeBackend>[0]) {
  const backend = fakeDevLakeBackend(routes);
  await renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityDoraContent />
    </EntityProvider>,
    { apis: [[devlakeApiRef, backend.api]] },
  );
  return backend;
}

const rowVersions = () =>
  within(screen.getByTestId('deployment-history'))
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getByRole('rowheader').textContent);

jest.setTimeout(60_000);
// Two shared CPU cores: give async queries more than the 1 s default.
configure({ asyncUtilTimeout: 10_000 });

describe('EntityDoraContent', () => {
  it('draws one chart per metric with one point per bucket, weekly over 90 days', async () => {
    const backend = await renderTab({
      '/dora-metrics': () => ({ body: doraResponse() }),
      '/dora-metrics/series': q => ({ body: { project: 'my-service', team: null, interval: q.get('interval'), period: {}, benchmark: '2023', buckets: buckets } }),
      '/deployment-history': history(),
    });
    const charts = await screen.findByTestId('dora-charts');
    for (const key of ['deploymentDays', 'leadTimeForChanges', 'changeFailureRate', 'timeToRestoreService']) {
      expect(within(charts).getByTestId(`dora-chart-${key}`)).toHaveAttribute('data-points', '13');
    }
    expect(screen.getByText('Median failed deployment recovery time')).toBeInTheDocument();
    const series = backend.requests.find(r => r.pathname.endsWith('/series'))!;
    expect(series.searchParams.get('interval')).toBe('week');
    expect(series.searchParams.get('project')).toBe('my-service');
    // The card and the charts share the tab's period.
    const card = backend.requests.find(r => r.pathname.endsWith('/dora-metrics'))!;
    expect(card.searchParams.get('startDate')).toBe(series.searchParams.get('startDate'));
  });

  it('asks for monthly buckets over 180 days', async () => {
    const backend = await renderTab({
      '/dora-metrics': () => ({ body: doraResponse() }),
      '/dora-metrics/series': q => ({ body: { project: 'my-service', team: null, interval: q.get('interval'), period: {}, benchmark: '2023', buckets: buckets.slice(0, 6) } }),
      '/deployment-history': history(),
    });
    await screen.findByTestId('dora-charts');
    fireEvent.click(screen.getByRole('button', { name: /period/i }));
    fireEvent.click(await screen.findByRole('option', { name: 'Last 180 days' }));
    await waitFor(() => expect(backend.requests.filter(r => r.searchParams.get('interval') === 'month')).toHaveLength(1));
  });

  it('says when the period has no buckets, and shows a 429 with its Retry-After', async () => {
    await renderTab({
      '/dora-metrics': () => ({ body: doraResponse() }),
      '/dora-metrics/series': () => jsonError(429, 'Too many requests', { 'Retry-After': '42' }),
      '/deployment-history': () => ({ body: { service: 'my-service', deployments: [], total: 0 } }),
    });
    const panel = await screen.findByTestId('devlake-error');
    expect(panel).toHaveTextContent('Too many requests (429)');
    expect(panel).toHaveTextContent('Try again in 42 seconds');
    expect(within(panel).getByRole('button', { name: 'Try again' })).toBeDisabled();
    expect(await screen.findByTestId('deployment-history-empty')).toBeInTheDocument();
  });

  it('shows chart skeletons while the series loads', async () => {
    await renderTab({
      '/dora-metrics': () => ({ body: doraResponse() }),
      '/dora-metrics/series': pending,
      '/deployment-history': history(),
    });
    expect(await screen.findByTestId('dora-charts-loading')).toHaveAttribute('aria-busy', 'true');
  });

  it('pages the deployment history on the backend (offset, limit) and filters it there by environment and result', async () => {
    const all = deployments(25);
    const backend = await renderTab({
      '/dora-metrics': () => ({ body: doraResponse() }),
      '/dora-metrics/series': () => ({ body: { project: 'my-service', team: null, interval: 'week', period: {}, benchmark: '2023', buckets: buckets } }),
      '/deployment-history': history(all),
    });
    const newest = [...all].sort((a, b) => b.startTime.localeCompare(a.startTime));
    const historyRequests = () => backend.requests.filter(r => r.pathname.endsWith('/deployment-history'));
    await waitFor(() => expect(rowVersions()).toEqual(newest.slice(0, 10).map(d => d.version)));
    expect(screen.getByTestId('deployment-total')).toHaveTextContent('25 deployments');
    expect(historyRequests().map(r => r.search)).toEqual(['?service=my-service&limit=10&offset=0']);
    fireEvent.click(within(screen.getByTestId('deployment-history')).getByRole('button', { name: /next/i }));
    await waitFor(() => expect(rowVersions()).toEqual(newest.slice(10, 20).map(d => d.version)));
    expect(historyRequests().at(-1)!.search).toBe('?service=my-service&limit=10&offset=10');

    fireEvent.click(screen.getByRole('button', { name: /environment/i }));
    fireEvent.click(await screen.findByRole('option', { name: 'Staging' }));
    const staging = newest.filter(d => d.environment === 'staging');
    await waitFor(() => expect(screen.getByTestId('deployment-total')).toHaveTextContent(`${staging.length} deployments`));
    // A new filter starts at the first page.
    await waitFor(() => expect(rowVersions()).toEqual(staging.slice(0, 10).map(d => d.version)));
    expect(historyRequests().at(-1)!.searchParams.get('environment')).toBe('staging');
    expect(historyRequests().at(-1)!.searchParams.get('offset')).toBe('0');

    fireEvent.click(screen.getByRole('button', { name: /Result$/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'Failure' }));
    const failed = staging.filter(d => d.status === 'FAILURE').map(d => d.version);
    await waitFor(() => expect(rowVersions()).toEqual(failed));
    expect(historyRequests().at(-1)!.searchParams.get('status')).toBe('FAILURE');
    expect(screen.getByTestId('deployment-total')).toHaveTextContent(`${failed.length} deployment`);
  });

  it('shows the backend’s message when the history fails with 503', async () => {
    await renderTab({
      '/dora-metrics': () => ({ body: doraResponse() }),
      '/dora-metrics/series': () => ({ body: { project: 'my-service', team: null, interval: 'week', period: {}, benchmark: '2023', buckets: [] } }),
      '/deployment-history': () => jsonError(503, 'DevLake database is unavailable'),
    });
    expect(await screen.findByTestId('dora-series-empty')).toBeInTheDocument();
    const panel = await screen.findByTestId('devlake-error');
    expect(panel).toHaveTextContent('DevLake is unavailable (503)');
    expect(panel).toHaveTextContent('DevLake database is unavailable');
  });
});
