import { ResponseError } from '@backstage/errors';
import { CatalogExtensionsClient, readErrorResponse } from './CatalogExtensionsClient';

const discoveryApi = { getBaseUrl: async () => 'http://backstage/api/catalog-extensions' };
const answering = (status: number, body: unknown, calls: Array<{ url: string; init?: RequestInit }> = []) => ({
  fetch: (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch,
});

describe('CatalogExtensionsClient', () => {
  it('sends the request and returns the body', async () => {
    const calls: Array<{ url: string; init?: RequestInit }> = [];
    const client = new CatalogExtensionsClient({ discoveryApi, fetchApi: answering(200, [{ kind: 'Component' }], calls) });
    await expect(client.getEntities({ filter: ['kind=Component', 'kind=API'], fields: ['kind', 'metadata.name'] })).resolves.toEqual([
      { kind: 'Component' },
    ]);
    expect(calls[0].url).toBe(
      'http://backstage/api/catalog-extensions/entities?filter=kind%3DComponent&filter=kind%3DAPI&fields=kind%2Cmetadata.name',
    );
    await client.dryRunLocation({ type: 'url', target: 'https://example.com/c.yaml' });
    expect(calls[1]).toEqual({
      url: 'http://backstage/api/catalog-extensions/locations?dryRun=true',
      init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":"url","target":"https://example.com/c.yaml"}' },
    });
  });

  it('throws a ResponseError with the status, and the plugin body reads back with every detail', async () => {
    const body = {
      error: "Invalid catalog-info.yaml: missing required field 'metadata.name'",
      details: [{ document: 0, path: 'metadata.name', message: "missing required field 'metadata.name'" }],
    };
    const client = new CatalogExtensionsClient({ discoveryApi, fetchApi: answering(400, body) });
    const error = await client.registerLocation({ type: 'url', target: 'https://example.com/c.yaml' }).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(400);
    expect(readErrorResponse(error)).toEqual(body);
  });

  it('reads no body from other errors or from answers that are not the plugin\'s', async () => {
    expect(readErrorResponse(new Error('{"error":"x"}'))).toBeUndefined();
    const client = new CatalogExtensionsClient({
      discoveryApi,
      fetchApi: { fetch: (async () => new Response('<html>bad gateway</html>', { status: 502 })) as typeof fetch },
    });
    const error = await client.getLocationStatus('a/b').catch(e => e);
    expect(error.response.status).toBe(502);
    expect(readErrorResponse(error)).toBeUndefined();
  });
});
