import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
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

/** `POST /dora-metrics/batch` answering each project with `item(project)`. */
function batch(item: (project: string) => object) {
  return (_q: URLSearchParams, body: { projects: string[] }) => ({
    body: { period: { startDate: '2026-11-01', endDate: '2026-12-01' }, items: body.projects.map(project => ({ project, ...item(project) })) },
  });
}

const teamMetrics = (q: URLSearchParams) => ({ body: { ...doraResponse(), project: null, team: q.get('team') } });

describe('EntityTeamDoraContent', () => {
  it('shows the team’s metrics and one row per service it owns, with each service’s figures, from one batch request', async () => {
    const frequency: Record<string, number> = { alpha: 3.5, beta: 12, gamma: 0.25 };
    const backend = fakeDevLakeBackend({
      '/dora-metrics': teamMetrics,
      'POST /dora-metrics/batch': batch(project => ({
        response: { ...doraResponse({ deploymentFrequency: { value: frequency[project] } }), project },
      })),
    });
    await renderTeam(backend, [component('gamma'), component('alpha'), component('beta'), component('other', 'web-team')]);

    await waitFor(() => expect(screen.getByTestId('team-services-progress')).toHaveTextContent(/^3 services$/));
    expect(serviceNames()).toEqual(['alpha', 'beta', 'gamma']);
    expect(screen.getByText('DORA metrics of team Platform')).toBeInTheDocument();
    const teamRequest = backend.requests.find(r => r.searchParams.has('team'))!;
    expect(teamRequest.searchParams.get('team')).toBe('Platform');
    const beta = screen.getAllByRole('row').find(row => row.textContent?.includes('beta'))!;
    expect(within(beta).getByText('12')).toHaveAttribute('data-value', '12');
    // One request for the team card, one for its three services.
    expect(backend.requests).toHaveLength(2);
    expect(backend.bodies).toEqual([{ path: '/dora-metrics/batch', body: { projects: ['alpha', 'beta', 'gamma'] } }]);
  });

  it('loads 120 services in 5 requests of at most 25, not one request per service', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
    const backend = fakeDevLakeBackend({
      '/dora-metrics': teamMetrics,
      'POST /dora-metrics/batch': batch(project => ({ response: { ...doraResponse(), project } })),
    });
    await renderTeam(backend, names.map(name => component(name)));
    await waitFor(() => expect(screen.getByTestId('team-services-progress')).toHaveTextContent(/^120 services$/));
    const sizes = backend.bodies.map(b => b.body.projects.length);
    expect(sizes).toEqual([25, 25, 25, 25, 20]);
    expect(backend.bodies.flatMap(b => b.body.projects)).toEqual(names);
    expect(backend.requests).toHaveLength(6);
  });

  it('marks the services of a failed batch with its status and loads the others', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
    const backend = fakeDevLakeBackend({
      '/dora-metrics': teamMetrics,
      'POST /dora-metrics/batch': (q, body) =>
        body.projects.includes('svc-29') ? jsonError(503, 'DevLake database is unavailable') : batch(() => ({ response: doraResponse() }))(q, body),
    });
    await renderTeam(backend, names.map(name => component(name)));
    await waitFor(() => expect(screen.getByTestId('team-services-progress')).toHaveTextContent(/^30 services$/));
    expect(within(screen.getByTestId('team-services')).getAllByText('10.39')).toHaveLength(25);
    fireEvent.click(within(screen.getByTestId('team-services')).getByRole('button', { name: /next/i }));
    await waitFor(() => expect(serviceNames()).toEqual(names.slice(25)));
    const last = screen.getAllByRole('row').find(row => row.textContent?.includes('svc-29'))!;
    expect(within(last).getAllByText('error 503')).toHaveLength(4);
  });

  it('waits out a 429’s Retry-After and loads the rows', async () => {
    let limited = true;
    const ok = batch(() => ({ response: doraResponse() }));
    const backend = fakeDevLakeBackend({
      '/dora-metrics': teamMetrics,
      'POST /dora-metrics/batch': (q, body) => {
        if (limited) {
          limited = false;
          return jsonError(429, 'Too many requests', { 'Retry-After': '1' });
        }
        return ok(q, body);
      },
    });
    await renderTeam(backend, [component('alpha')]);
    await waitFor(() => expect(screen.getByTestId('team-services-progress')).toHaveTextContent(/^1 service$/), { timeout: 10_000 });
    const alpha = screen.getAllByRole('row').find(row => row.textContent?.includes('alpha'))!;
    expect(within(alpha).getByText('10.39')).toBeInTheDocument();
    expect(backend.bodies).toHaveLength(2);
  });

  it('marks a component DevLake does not know, beside one it knows', async () => {
    const backend = fakeDevLakeBackend({
      '/dora-metrics': teamMetrics,
      'POST /dora-metrics/batch': batch(project =>
        project === 'docs'
          ? { error: { status: 404, message: "Project 'docs' not found in DevLake" } }
          : { response: { ...doraResponse(), project } },
      ),
    });
    await renderTeam(backend, [component('docs'), component('api')]);
    await waitFor(() => expect(screen.getByTestId('team-services-progress')).toHaveTextContent(/^2 services$/));
    const docs = screen.getAllByRole('row').find(row => row.textContent?.includes('docs'))!;
    expect(within(docs).getAllByText('not in DevLake')).toHaveLength(4);
    expect(within(docs).getAllByTitle("Project 'docs' not found in DevLake")).toHaveLength(4);
    const api = screen.getAllByRole('row').find(row => row.textContent?.includes('api'))!;
    expect(within(api).getByText('10.39')).toBeInTheDocument();
  });

  it('says when the group owns no components, and asks for no batch', async () => {
    const backend = fakeDevLakeBackend({ '/dora-metrics': teamMetrics });
    await renderTeam(backend, []);
    expect(await screen.findByTestId('team-services-empty')).toBeInTheDocument();
    expect(backend.bodies).toEqual([]);
  });
});
