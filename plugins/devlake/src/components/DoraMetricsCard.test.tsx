import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { devlakeApiRef } from '../api/DevLakeApi';
import { doraResponse, fakeDevLakeBackend, jsonError, pending } from '../testUtils/fakeDevLakeBackend';
import { EntityDoraCard } from './DoraMetricsContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'my-service', annotations: { 'devlake.apache.org/project-name': 'my-svc' } },
  spec: { type: 'service', owner: 'platform-team', lifecycle: 'production' },
};

async function renderCard(backend: ReturnType<typeof fakeDevLakeBackend>, config: object = {}) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityDoraCard />
    </EntityProvider>,
    { apis: [[devlakeApiRef, backend.api]], config },
  );
}

function tile(key: string) {
  return within(screen.getByTestId(`dora-metric-${key}`));
}

jest.setTimeout(60_000);
// Two shared CPU cores: give async queries more than the 1 s default.
configure({ asyncUtilTimeout: 10_000 });

describe('EntityDoraCard', () => {
  it('shows the four metrics with value, unit, level, trend and deployment days', async () => {
    const backend = fakeDevLakeBackend({ '/dora-metrics': () => ({ body: doraResponse() }) });
    await renderCard(backend, { devlake: { benchmark: '2023' } });

    await screen.findByText('10.39');
    expect(tile('deploymentFrequency').getByTestId('unit')).toHaveTextContent('deploys/week');
    expect(tile('deploymentFrequency').getByTestId('level')).toHaveTextContent('Elite');
    expect(tile('deploymentFrequency').getByTestId('deployment-days')).toHaveTextContent(
      '5 deployment days per week (median)',
    );
    expect(tile('leadTimeForChanges').getByTestId('value')).toHaveTextContent('135.2');
    expect(tile('leadTimeForChanges').getByTestId('trend')).toHaveTextContent('increasing against the previous period (worse)');
    expect(tile('changeFailureRate').getByTestId('unit')).toHaveTextContent('%');
    expect(tile('changeFailureRate').getByTestId('trend')).toHaveTextContent('(better)');
    expect(tile('changeFailureRate').getByTestId('level')).toHaveAttribute('data-level', 'medium');
    expect(screen.getByText('Failed deployment recovery time')).toBeInTheDocument();
    expect(tile('timeToRestoreService').queryByTestId('trend')).toBeNull();
    expect(screen.getByTestId('benchmark')).toHaveTextContent('DORA 2023 report');
    expect(screen.getByTestId('period')).toHaveTextContent('2026-11-01 – 2026-12-01 (UTC)');
    // The entity's name goes to the backend, which maps it to the DevLake project.
    expect(backend.requests[0].searchParams.get('project')).toBe('my-service');
    expect(backend.requests[0].searchParams.has('startDate')).toBe(false);
  });

  it('links to DevLake’s DORA dashboard with the project annotation as its variable', async () => {
    const backend = fakeDevLakeBackend({ '/dora-metrics': () => ({ body: doraResponse() }) });
    await renderCard(backend, { devlake: { grafanaUrl: 'https://grafana.test/' } });
    const link = await screen.findByTestId('grafana-link');
    const href = new URL(link.getAttribute('href')!);
    expect(href.origin + href.pathname).toBe('https://grafana.test/d/qNo8_0M4z/dora');
    expect(href.searchParams.get('var-project')).toBe('my-svc');
    expect(href.searchParams.get('from')).toBe(String(Date.parse('2026-11-01T00:00:00Z')));
  });

  it('has no Grafana link without devlake.grafanaUrl', async () => {
    const backend = fakeDevLakeBackend({ '/dora-metrics': () => ({ body: doraResponse() }) });
    await renderCard(backend);
    await screen.findByText('10.39');
    expect(screen.queryByTestId('grafana-link')).toBeNull();
  });

  it('shows N/A with the reason in words', async () => {
    const backend = fakeDevLakeBackend({
      '/dora-metrics': () => ({
        body: doraResponse({
          timeToRestoreService: { value: null, performance: null, trend: null, reason: 'no-incidents-collected' },
        }),
      }),
    });
    await renderCard(backend);
    await screen.findByText('10.39');
    expect(tile('timeToRestoreService').getByTestId('value')).toHaveTextContent('N/A');
    expect(tile('timeToRestoreService').getByTestId('reason')).toHaveTextContent(
      'No incidents are collected in DevLake for this scope',
    );
    expect(tile('timeToRestoreService').queryByTestId('level')).toBeNull();
  });

  it('says so when DevLake has nothing for the period', async () => {
    const none = { value: null, performance: null, trend: null, reason: 'no-deployments' };
    const backend = fakeDevLakeBackend({
      '/dora-metrics': () => ({
        body: doraResponse({
          deploymentFrequency: { ...none, deploymentDays: null },
          leadTimeForChanges: none,
          changeFailureRate: none,
          timeToRestoreService: none,
        }),
      }),
    });
    await renderCard(backend);
    expect(await screen.findByTestId('dora-empty')).toHaveTextContent('DevLake has no deployments or changes for my-service');
    expect(screen.getAllByText('No production deployments in this period')).toHaveLength(4);
  });

  it('shows skeletons while loading', async () => {
    const backend = fakeDevLakeBackend({ '/dora-metrics': pending });
    await renderCard(backend);
    expect(await screen.findByTestId('dora-loading')).toHaveAttribute('aria-busy', 'true');
  });

  it('shows the cache age when the backend reports one', async () => {
    const cachedAt = new Date(Date.now() - 3 * 60_000).toISOString();
    const backend = fakeDevLakeBackend({ '/dora-metrics': () => ({ body: doraResponse({}, { cachedAt }) }) });
    await renderCard(backend);
    await waitFor(() => expect(screen.getByTestId('period')).toHaveTextContent('cached 3 min ago'));
    expect(screen.getByTestId('dora-cached')).toHaveAttribute('title', `Computed at ${cachedAt}`);
  });

  it('shows no cache hint on figures computed for the request', async () => {
    const backend = fakeDevLakeBackend({ '/dora-metrics': () => ({ body: doraResponse() }) });
    await renderCard(backend);
    await screen.findByTestId('period');
    await waitFor(() => expect(screen.getByTestId('dora-metric-deploymentFrequency')).toHaveTextContent('10.39'));
    expect(screen.queryByTestId('dora-cached')).toBeNull();
    expect(screen.getByTestId('period')).not.toHaveTextContent('cached');
  });

  it.each([
    [503, 'DevLake is unavailable (503)', 'DevLake database is unavailable'],
    [504, 'DevLake did not answer in time (504)', 'DevLake query timed out'],
  ])('shows the backend’s message on %s', async (status, title, message) => {
    const backend = fakeDevLakeBackend({ '/dora-metrics': () => jsonError(status, message) });
    await renderCard(backend);
    const panel = await screen.findByTestId('devlake-error');
    expect(panel).toHaveTextContent(title);
    expect(panel).toHaveTextContent(message);
  });

  it('recovers on "Try again" after an outage', async () => {
    let calls = 0;
    const backend = fakeDevLakeBackend({
      '/dora-metrics': () => (++calls === 1 ? jsonError(503, 'DevLake database is unavailable') : { body: doraResponse() }),
    });
    await renderCard(backend);
    await screen.findByTestId('devlake-error');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('10.39')).toBeInTheDocument();
  });

  it('asks for the chosen period', async () => {
    const backend = fakeDevLakeBackend({ '/dora-metrics': () => ({ body: doraResponse() }) });
    await renderCard(backend);
    await screen.findByText('10.39');
    fireEvent.click(screen.getByRole('button', { name: /period/i }));
    fireEvent.click(await screen.findByRole('option', { name: 'Last 90 days' }));
    await waitFor(() => expect(backend.requests).toHaveLength(2));
    const start = backend.requests[1].searchParams.get('startDate')!;
    const today = new Date().toISOString().slice(0, 10);
    expect((Date.parse(today) - Date.parse(start)) / 86_400_000).toBe(90);
  });
});
