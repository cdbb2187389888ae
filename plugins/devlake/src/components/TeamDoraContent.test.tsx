import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { configure, screen, waitFor, within } from '@testing-library/react';
import { Suspense } from 'react';
import { devlakeApiRef } from '../api/DevLakeApi';
import { doraResponse, fakeDevLakeBackend, jsonError } from '../testUtils/fakeDevLakeBackend';
import { EntityTeamDoraContent } from './TeamDoraContent';

jest.setTimeout(60_000);
// Two shared CPU cores: give async queries more than the 1 s default.
configure({ asyncUtilTimeout: 10_000 });

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'platform-team', annotations: { 'devlake.apache.org/team': 'Platform' } },
  spec: { type: 'team', children: [] },
};

function component(name: string, owner = 'platform-team'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', owner, lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

async function renderTeam(backend: ReturnType<typeof fakeDevLakeBackend>, entities: Entity[]) {
  return renderInTestApp(
    // The app renders entity content under a Suspense boundary; entity links may suspend.
    <Suspense fallback="loading">
      <EntityProvider entity={group}>
        <EntityTeamDoraContent />
      </EntityProvider>
    </Suspense>,
    { apis: [[devlakeApiRef, backend.api], catalogApiMock({ entities: [group, ...entities] })] },
  );
}

const serviceNames = () =>
  within(screen.getByTestId('team-services'))
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getByRole('rowheader').textContent);

describe('EntityTeamDoraContent', () => {
  it('shows the team’s metrics and one row per service it owns, with each service’s figures', async () => {
    const frequency: Record<string, number> = { alpha: 3.5, beta: 12, gamma: 0.25 };
    const backend = fakeDevLakeBackend({
      '/dora-metrics': q =>
        q.get('team')
          ? { body: { ...doraResponse(), project: null, team: q.get('team') } }
          : { body: doraResponse({ deploymentFrequency: { value: frequency[q.get('project')!] } }) },
    });
    await renderTeam(backend, [component('gamma'), component('alpha'), component('beta'), component('other', 'web-team')]);

    await waitFor(() => expect(screen.getByTestId('team-services-progress')).toHaveTextContent(/^3 services$/));
    expect(serviceNames()).toEqual(['alpha', 'beta', 'gamma']);
    expect(screen.getByText('DORA metrics of team Platform')).toBeInTheDocument();
    const teamRequest = backend.requests.find(r => r.searchParams.has('team'))!;
    expect(teamRequest.searchParams.get('team')).toBe('Platform');
    const beta = screen.getAllByRole('row').find(row => row.textContent?.includes('beta'))!;
    expect(within(beta).getByText('12')).toHaveAttribute('data-value', '12');
  });

  it('fills rows in as they load and marks a failed one', async () => {
    const backend = fakeDevLakeBackend({
      '/dora-metrics': q => (q.get('project') === 'beta' ? jsonError(503, 'DevLake database is unavailable') : { body: doraResponse() }),
    });
    await renderTeam(backend, [component('alpha'), component('beta')]);
    await waitFor(() => expect(screen.getByTestId('team-services-progress')).toHaveTextContent(/^2 services$/));
    const beta = screen.getAllByRole('row').find(row => row.textContent?.includes('beta'))!;
    expect(within(beta).getAllByText('error 503')).toHaveLength(4);
  });

  it('waits out a 429’s Retry-After and loads the row', async () => {
    let limited = true;
    const backend = fakeDevLakeBackend({
      '/dora-metrics': q => {
        if (q.get('project') === 'alpha' && limited) {
          limited = false;
          return jsonError(429, 'Too many requests', { 'Retry-After': '1' });
        }
        return { body: doraResponse() };
      },
    });
    await renderTeam(backend, [component('alpha')]);
    await waitFor(() => expect(screen.getByTestId('team-services-progress')).toHaveTextContent(/^1 service$/), { timeout: 10_000 });
    const alpha = screen.getAllByRole('row').find(row => row.textContent?.includes('alpha'))!;
    expect(within(alpha).getByText('10.39')).toBeInTheDocument();
    expect(backend.requests.filter(r => r.searchParams.get('project') === 'alpha')).toHaveLength(2);
  });

  it('marks a component DevLake does not know', async () => {
    const backend = fakeDevLakeBackend({
      '/dora-metrics': q => (q.get('project') === 'docs' ? jsonError(404, 'Unknown project docs') : { body: doraResponse() }),
    });
    await renderTeam(backend, [component('docs')]);
    await waitFor(() => expect(screen.getByTestId('team-services-progress')).toHaveTextContent(/^1 service$/));
    expect(screen.getAllByText('not in DevLake')).toHaveLength(4);
  });

  it('says when the group owns no components', async () => {
    const backend = fakeDevLakeBackend({ '/dora-metrics': () => ({ body: doraResponse() }) });
    await renderTeam(backend, []);
    expect(await screen.findByTestId('team-services-empty')).toBeInTheDocument();
  });
});
