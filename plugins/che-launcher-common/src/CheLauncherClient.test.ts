import { CheLauncherApiError, CheLauncherClient } from './CheLauncherClient';

function clientAnswering(status: number, body?: unknown) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const client = new CheLauncherClient({
    discoveryApi: { getBaseUrl: async pluginId => `http://backstage.test/api/${pluginId}` },
    fetchApi: {
      fetch: (async (url: string, init: RequestInit) => {
        calls.push({ url, init });
        return new Response(body === undefined ? null : JSON.stringify(body), { status });
      }) as typeof fetch,
    },
  });
  return { client, calls };
}

describe('CheLauncherClient', () => {
  it('creates a workspace', async () => {
    const created = {
      workspaceId: 'alice-workspaces.ws',
      name: 'ws',
      status: 'Starting',
      ideUrl: null,
      devfile: { name: 'x', version: null },
    };
    const { client, calls } = clientAnswering(201, created);
    await expect(client.createWorkspace({ devfileUrl: 'https://x.test/d.yaml', name: 'ws' })).resolves.toEqual(created);
    expect(calls[0].url).toBe('http://backstage.test/api/che-launcher/workspaces');
    expect(calls[0].init.method).toBe('POST');
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ devfileUrl: 'https://x.test/d.yaml', name: 'ws' });
  });

  it('lists with filters and encodes ids', async () => {
    const { client, calls } = clientAnswering(200, { workspaces: [], total: 0 });
    await client.listWorkspaces({ status: 'Running', owner: 'user:default/jane' });
    expect(calls[0].url).toBe(
      'http://backstage.test/api/che-launcher/workspaces?status=Running&owner=user%3Adefault%2Fjane',
    );
    await client.getWorkspace('ns.a/b');
    expect(calls[1].url).toBe('http://backstage.test/api/che-launcher/workspaces/ns.a%2Fb');
  });

  it('deletes and resolves on 204', async () => {
    const { client, calls } = clientAnswering(204);
    await expect(client.deleteWorkspace('ns.ws')).resolves.toBeUndefined();
    expect(calls[0].init.method).toBe('DELETE');
  });

  it('throws the API error message', async () => {
    const { client } = clientAnswering(409, { error: "Workspace with name 'ws' already exists" });
    const error = await client.startWorkspace('ns.ws').catch(e => e);
    expect(error).toBeInstanceOf(CheLauncherApiError);
    expect(error.status).toBe(409);
    expect(error.message).toBe("Workspace with name 'ws' already exists");
  });
});
