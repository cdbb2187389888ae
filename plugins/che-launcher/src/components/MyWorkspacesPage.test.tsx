import { renderInTestApp, TestApiProvider } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cheLauncherApiRef } from '../api/CheLauncherApi';
import { FakeCheLauncherApi } from '../__testUtils__/FakeCheLauncherApi';
import { MyWorkspacesPage } from './MyWorkspacesPage';

// userEvent typing in jsdom is slow on a loaded 2-core machine.
jest.setTimeout(30_000);

function render(api: FakeCheLauncherApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[cheLauncherApiRef, api]]}>
      <MyWorkspacesPage minDelayMs={20} maxDelayMs={50} />
    </TestApiProvider>,
  );
}

function row(name: string) {
  return screen.getByRole('row', { name: new RegExp(name) });
}

describe('MyWorkspacesPage', () => {
  it('lists every state as a chip, Failed with its message, with created and last used times', async () => {
    const api = new FakeCheLauncherApi();
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    api.add({ name: 'running', status: 'Running', phase: 'Running', ideUrl: 'https://che.example/ide/running/', createdAt: hourAgo });
    api.add({ name: 'stopped', status: 'Stopped', phase: 'Stopped' });
    api.add({ name: 'broken', status: 'Stopped', phase: 'Failed', statusMessage: 'Error processing devfile: duplicate endpoint' });
    api.add({ name: 'failing', status: 'Failing' as any, phase: 'Failing', statusMessage: 'Container tools crashed' });
    await render(api);

    await screen.findByText('running');
    const chip = (name: string) => within(row(name)).getByTestId('workspace-status').getAttribute('data-status');
    expect(chip('running')).toBe('Running');
    expect(chip('stopped')).toBe('Stopped');
    expect(chip('broken')).toBe('Failed');
    expect(within(row('broken')).getByTestId('workspace-status-message')).toHaveTextContent(
      'Error processing devfile: duplicate endpoint',
    );
    expect(chip('failing')).toBe('Failing');
    expect(within(row('running')).getByText('1 hour ago')).toBeInTheDocument();
    expect(within(row('running')).getByRole('link', { name: 'Open IDE of running' })).toHaveAttribute(
      'href',
      'https://che.example/ide/running/',
    );
    // A stopped or failed workspace can be started, a running one stopped; only a running one opened.
    expect(within(row('stopped')).getByRole('button', { name: 'Start stopped' })).toBeInTheDocument();
    expect(within(row('broken')).getByRole('button', { name: 'Start broken' })).toBeInTheDocument();
    expect(within(row('running')).getByRole('button', { name: 'Stop running' })).toBeInTheDocument();
    expect(within(row('stopped')).queryByRole('link', { name: /Open IDE/ })).not.toBeInTheDocument();
  });

  it('lists the newest workspace first, then by name', async () => {
    const api = new FakeCheLauncherApi();
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    api.add({ name: 'old', createdAt: at(60) });
    api.add({ name: 'newest', createdAt: at(1) });
    api.add({ name: 'b-same', createdAt: at(30) });
    api.add({ name: 'a-same', createdAt: at(30) });
    await render(api);
    await screen.findByText('newest');
    const names = within(screen.getByTestId('my-workspaces'))
      .getAllByRole('rowheader')
      .map(cell => cell.textContent);
    expect(names.map(n => n?.replace(/python 1\.0\.0$/, ''))).toEqual(['newest', 'a-same', 'b-same', 'old']);
  });

  it('shows the empty state', async () => {
    await render(new FakeCheLauncherApi());
    expect(await screen.findByTestId('workspaces-empty')).toBeInTheDocument();
    expect(screen.getByTestId('workspaces-summary')).toHaveTextContent('0 workspaces');
  });

  it('shows a 503 in words and loads again on Try again', async () => {
    const api = new FakeCheLauncherApi();
    api.add({ name: 'later' });
    api.failNext('listWorkspaces', 503, 'Eclipse Che (Kubernetes) is not configured');
    await render(api);
    const alert = await screen.findByTestId('che-error');
    expect(alert).toHaveTextContent('Eclipse Che is unavailable (503)');
    expect(alert).toHaveTextContent('Eclipse Che (Kubernetes) is not configured');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('later')).toBeInTheDocument();
  });

  it('stops and starts a workspace, refreshing by itself until the state settles', async () => {
    const api = new FakeCheLauncherApi();
    api.add({ name: 'dev', status: 'Running', phase: 'Running', ideUrl: 'https://che.example/dev/' });
    await render(api);
    await userEvent.click(await screen.findByRole('button', { name: 'Stop dev' }));
    await waitFor(() => expect(within(row('dev')).getByTestId('workspace-status')).toHaveAttribute('data-status', 'Stopped'));
    expect(api.calls.filter(c => c.method === 'stopWorkspace')).toEqual([{ method: 'stopWorkspace', args: ['jane-workspaces.dev'] }]);

    api.readsToRun = 3;
    await userEvent.click(screen.getByRole('button', { name: 'Start dev' }));
    await waitFor(() => expect(within(row('dev')).getByTestId('workspace-status')).toHaveAttribute('data-status', 'Starting'));
    expect(screen.getByTestId('workspaces-summary')).toHaveTextContent('refreshing while a workspace changes state');
    await waitFor(() => expect(within(row('dev')).getByTestId('workspace-status')).toHaveAttribute('data-status', 'Running'));
    const listsWhenSettled = api.calls.filter(c => c.method === 'listWorkspaces').length;
    await new Promise(r => setTimeout(r, 200));
    // Nothing changes any more: no further polling.
    expect(api.calls.filter(c => c.method === 'listWorkspaces').length).toBe(listsWhenSettled);
    expect(screen.getByTestId('workspaces-summary')).not.toHaveTextContent('refreshing');
  });

  it('deletes only after confirmation', async () => {
    const api = new FakeCheLauncherApi();
    api.add({ name: 'old' });
    await render(api);
    await userEvent.click(await screen.findByRole('button', { name: 'Delete old' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Delete old?');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(api.calls.some(c => c.method === 'deleteWorkspace')).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'Delete old' }));
    await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByTestId('workspaces-empty')).toBeInTheDocument();
    expect(api.calls.filter(c => c.method === 'deleteWorkspace')).toHaveLength(1);
  });

  it('shows the running-workspace limit (409) of a start in words', async () => {
    const api = new FakeCheLauncherApi();
    api.add({ name: 'fourth' });
    api.failNext(
      'startWorkspace',
      409,
      'Running workspace limit reached: you may have at most 3 running workspace(s); stop one first',
    );
    await render(api);
    await userEvent.click(await screen.findByRole('button', { name: 'Start fourth' }));
    const alert = await screen.findByTestId('che-error');
    expect(alert).toHaveTextContent('Workspace limit reached (409)');
    expect(alert).toHaveTextContent('you may have at most 3 running workspace(s); stop one first');
    expect(within(row('fourth')).getByTestId('workspace-status')).toHaveAttribute('data-status', 'Stopped');
  });

  describe('New workspace', () => {
    function withTemplates() {
      const api = new FakeCheLauncherApi();
      api.templates = [
        { name: 'goldenpath-python', displayName: 'Python service', description: 'FastAPI', url: 'https://x/py.yaml', tags: ['python', 'backend'], resources: { cpu: '2', memory: '4Gi' } },
        { name: 'goldenpath-ai', displayName: 'AI / ML', description: 'Jupyter', url: 'https://x/ai.yaml', tags: ['python', 'ai'], resources: {} },
        { name: 'goldenpath-node', displayName: 'Node.js service', description: null, url: 'https://x/node.yaml', tags: ['node'], resources: {} },
      ];
      return api;
    }

    it('creates from a template filtered by tag, with a name', async () => {
      const api = withTemplates();
      await render(api);
      await userEvent.click(await screen.findByRole('button', { name: 'New workspace' }));
      const dialog = await screen.findByRole('dialog');
      await within(dialog).findByText('Python service');
      expect(within(dialog).getByText('cpu 2 · memory 4Gi')).toBeInTheDocument();
      await userEvent.click(within(dialog).getByRole('radio', { name: 'ai' }));
      await waitFor(() => expect(within(dialog).queryByText('Python service')).not.toBeInTheDocument());
      expect(within(dialog).queryByText('Node.js service')).not.toBeInTheDocument();
      await userEvent.click(within(dialog).getByRole('radio', { name: /AI \/ ML/ }));
      await userEvent.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'my-notebook');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
      await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
      expect(api.calls.find(c => c.method === 'createWorkspace')?.args).toEqual([
        { template: 'goldenpath-ai', name: 'my-notebook' },
      ]);
      expect(await screen.findByText('my-notebook')).toBeInTheDocument();
    });

    it('creates from a devfile URL, and refuses an invalid name before sending', async () => {
      const api = withTemplates();
      await render(api);
      await userEvent.click(await screen.findByRole('button', { name: 'New workspace' }));
      const dialog = await screen.findByRole('dialog');
      await userEvent.click(within(dialog).getByRole('radio', { name: 'A devfile URL' }));
      await userEvent.type(within(dialog).getByRole('textbox', { name: /Devfile URL/ }), 'https://example.com/devfile.yaml');
      await userEvent.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'Bad_Name');
      expect(within(dialog).getByRole('button', { name: 'Create' })).toBeDisabled();
      expect(within(dialog).getByText(/may contain only lowercase letters/)).toBeInTheDocument();
      await userEvent.clear(within(dialog).getByRole('textbox', { name: /Name/ }));
      await userEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
      await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
      expect(api.calls.find(c => c.method === 'createWorkspace')?.args).toEqual([
        { devfileUrl: 'https://example.com/devfile.yaml' },
      ]);
    });

    it.each([
      [409, "Workspace with name 'dup' already exists", 'Conflict (409)'],
      [429, 'Too many requests', 'Too many requests (429)'],
      [403, "You may not create workspaces in namespace 'kube-system'", 'Not allowed (403)'],
    ])('keeps the dialog open and shows a %s in words', async (status, message, title) => {
      const api = withTemplates();
      api.failNext('createWorkspace', status, message);
      await render(api);
      await userEvent.click(await screen.findByRole('button', { name: 'New workspace' }));
      const dialog = await screen.findByRole('dialog');
      await userEvent.click(await within(dialog).findByRole('radio', { name: /Python service/ }));
      await userEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
      const alert = await within(dialog).findByTestId('che-error');
      expect(alert).toHaveTextContent(title);
      expect(alert).toHaveTextContent(message);
      expect(api.workspaces).toHaveLength(0);
    });

    it('says so when no templates are configured', async () => {
      await render(new FakeCheLauncherApi());
      await userEvent.click(await screen.findByRole('button', { name: 'New workspace' }));
      expect(await within(await screen.findByRole('dialog')).findByText('No templates configured')).toBeInTheDocument();
    });
  });
});
