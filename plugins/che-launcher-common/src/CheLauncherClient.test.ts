import { ResponseError } from '@backstage/errors';
import { CheLauncherClient } from './CheLauncherClient';

function clientAnswering(status: number, body?: unknown) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const client = new CheLauncherClient({
    discoveryApi: { getBaseUrl: async pluginId => `http://backstage.test/api/${pluginId}` },
    fetchApi: {
      fetch: (async (url: string, init: RequestInit) => {
        calls.push({ url, init });
        return new Response(body === undefined ? null : JSON.stringify(body), {
          status,
          headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
        });
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

  it("throws a ResponseError carrying the status and the API's error body", async () => {
    const { client } = clientAnswering(409, { error: "Workspace with name 'ws' already exists" });
    const error = await client.startWorkspace('ns.ws').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(409);
    // The plugin's {"error": "..."} body is not Backstage's error shape: ResponseError keeps its text.
    expect(error.body.error.message).toContain(`{"error":"Workspace with name 'ws' already exists"}`);
  });

  it('throws a ResponseError for a 400 with details, keeping them', async () => {
    const body = { error: 'Invalid request body: devfileUrl is required', details: [{ path: 'devfileUrl', message: 'is required' }] };
    const { client } = clientAnswering(400, body);
    const error = await client.createWorkspace({} as any).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(400);
    expect(error.body.error.message).toContain(JSON.stringify(body));
  });
});
