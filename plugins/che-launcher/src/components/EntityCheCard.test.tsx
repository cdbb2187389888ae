import { Entity } from '@backstage/catalog-model';
import { renderInTestApp, TestApiProvider } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cheLauncherApiRef } from '../api/CheLauncherApi';
import { FakeCheLauncherApi } from '../__testUtils__/FakeCheLauncherApi';
import { entityDevfileSource, isCheAvailable } from './annotations';
import { EntityCheCard } from './EntityCheCard';

jest.setTimeout(30_000);

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'my-service',
    annotations: { 'eclipse.org/che-enabled': 'true', 'eclipse.org/che-devfile': 'goldenpath-python' },
  },
  spec: { type: 'service', owner: 'platform-team', lifecycle: 'production' },
};

function render(api: FakeCheLauncherApi, e: Entity = entity) {
  return renderInTestApp(
    <TestApiProvider apis={[[cheLauncherApiRef, api]]}>
      <EntityProvider entity={e}>
        <EntityCheCard minDelayMs={20} maxDelayMs={50} />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('annotations', () => {
  it('enables the card only with che-enabled and a devfile', () => {
    const withAnnotations = (annotations: Record<string, string>) => ({
      ...entity,
      metadata: { name: 'x', annotations },
    });
    expect(isCheAvailable(withAnnotations({ 'eclipse.org/che-devfile': 'goldenpath-python' }))).toBe(false);
    expect(isCheAvailable(withAnnotations({ 'eclipse.org/che-enabled': 'false', 'eclipse.org/che-devfile': 'a' }))).toBe(false);
    expect(isCheAvailable(withAnnotations({ 'eclipse.org/che-enabled': 'true' }))).toBe(false);
    expect(entityDevfileSource(withAnnotations({ 'eclipse.org/che-enabled': 'True', 'eclipse.org/che-devfile': 'a' }))).toEqual({ template: 'a' });
    // A custom devfile URL wins over a template name.
    expect(
      entityDevfileSource(
        withAnnotations({
          'eclipse.org/che-enabled': 'true',
          'eclipse.org/che-devfile': 'a',
          'eclipse.org/che-devfile-url': 'https://x/devfile.yaml',
        }),
      ),
    ).toEqual({ devfileUrl: 'https://x/devfile.yaml' });
  });
});

describe('EntityCheCard', () => {
  let open: jest.SpyInstance;
  beforeEach(() => {
    open = jest.spyOn(window, 'open').mockImplementation(() => null);
  });
  afterEach(() => open.mockRestore());

  it('creates the workspace from the entity, shows it Starting with progress, then opens the IDE', async () => {
    const api = new FakeCheLauncherApi();
    api.readsToRun = 3;
    await render(api);
    expect(await screen.findByText(/Golden-path template/)).toHaveTextContent('goldenpath-python');
    expect(await screen.findByText('None yet.')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Open in Che' }));
    expect(api.calls.find(c => c.method === 'createWorkspace')?.args).toEqual([
      { entityRef: 'component:default/my-service' },
    ]);
    const progress = await screen.findByTestId('che-launch-progress');
    expect(progress).toHaveTextContent(/Starting… \d+ s/);
    expect(within(progress).getByText('2. Starting').closest('li')).toHaveAttribute('aria-current', 'step');
    expect(screen.getByRole('button', { name: 'Open in Che' })).toBeDisabled();

    const link = await screen.findByRole('link', { name: /Open IDE of ws-1/ }, { timeout: 5000 });
    const ideUrl = api.workspaces[0].ideUrl;
    expect(link).toHaveAttribute('href', ideUrl);
    expect(screen.queryByTestId('che-launch-progress')).not.toBeInTheDocument();
    expect(open).toHaveBeenCalledTimes(1);
    expect(open).toHaveBeenCalledWith(ideUrl, '_blank', 'noopener,noreferrer');
    expect(within(screen.getByTestId('che-entity-workspaces')).getByTestId('workspace-status')).toHaveAttribute(
      'data-status',
      'Running',
    );
  });

  it('under createPolicy peruser starts the reused stopped workspace instead of making one', async () => {
    const api = new FakeCheLauncherApi();
    const existing = api.add({ name: 'my-service-dev', entityRef: 'component:default/my-service' });
    api.reuse = existing.workspaceId;
    await render(api);
    await screen.findByText('my-service-dev');
    await userEvent.click(screen.getByRole('button', { name: 'Open in Che' }));
    await screen.findByRole('link', { name: /Open IDE of my-service-dev/ }, { timeout: 5000 });
    expect(api.calls.filter(c => c.method === 'startWorkspace')).toEqual([
      { method: 'startWorkspace', args: [existing.workspaceId] },
    ]);
    expect(api.workspaces).toHaveLength(1);
  });

  it("lists only this entity's workspaces, Failed with Che's message", async () => {
    const api = new FakeCheLauncherApi();
    api.add({ name: 'mine-broken', phase: 'Failed', statusMessage: 'Invalid devfile: endpoint name too long', entityRef: 'component:default/my-service' });
    api.add({ name: 'other-entity', entityRef: 'component:default/payments-api' });
    await render(api);
    const list = await screen.findByTestId('che-entity-workspaces');
    await within(list).findByText('mine-broken');
    expect(within(list).queryByText('other-entity')).not.toBeInTheDocument();
    expect(within(list).getByTestId('workspace-status')).toHaveAttribute('data-status', 'Failed');
    expect(within(list).getByTestId('workspace-status-message')).toHaveTextContent('Invalid devfile: endpoint name too long');
  });

  it.each([
    [409, 'Running workspace limit reached: you may have at most 3 running workspace(s); stop one first', 'Workspace limit reached (409)'],
    [429, 'Too many requests', 'Too many requests (429)'],
    [403, 'Workspaces can only be created by users', 'Not allowed (403)'],
    [400, "Template 'goldenpath-python' is not configured", 'The request was refused (400)'],
  ])('shows a %s of Open in Che in words', async (status, message, title) => {
    const api = new FakeCheLauncherApi();
    api.failNext('createWorkspace', status, message);
    await render(api);
    await userEvent.click(await screen.findByRole('button', { name: 'Open in Che' }));
    const alert = await screen.findByTestId('che-error');
    expect(alert).toHaveTextContent(title);
    expect(alert).toHaveTextContent(message);
    // The API's own words, not the ResponseError's status line or raw JSON body.
    expect(alert).not.toHaveTextContent('Request failed');
    expect(alert).not.toHaveTextContent('{');
    expect(screen.queryByTestId('che-launch-progress')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Open in Che' })).toBeEnabled();
  });

  it("shows a start that fails as Failed with Che's message, opens nothing and lets the user try again", async () => {
    const api = new FakeCheLauncherApi();
    api.failStartWith = 'Container python has state ErrImagePull';
    await render(api);
    await userEvent.click(await screen.findByRole('button', { name: 'Open in Che' }));
    const list = screen.getByTestId('che-entity-workspaces');
    const chip = await within(list).findByText('Failed', {}, { timeout: 5000 });
    expect(chip).toHaveAttribute('data-status', 'Failed');
    expect(within(list).getByTestId('workspace-status-message')).toHaveTextContent('Container python has state ErrImagePull');
    expect(screen.queryByTestId('che-launch-progress')).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Open IDE/ })).not.toBeInTheDocument();
    expect(open).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Open in Che' })).toBeEnabled();
  });

  it('shows a 503 of the workspace list in words, with Try again', async () => {
    const api = new FakeCheLauncherApi();
    api.failNext('listWorkspaces', 503, 'Eclipse Che (Kubernetes) is not configured');
    await render(api);
    const alert = await screen.findByTestId('che-error');
    expect(alert).toHaveTextContent('Eclipse Che is unavailable (503)');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('None yet.')).toBeInTheDocument();
  });
});
