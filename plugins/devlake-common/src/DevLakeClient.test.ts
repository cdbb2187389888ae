import { ResponseError } from '@backstage/errors';
import { DevLakeClient } from './DevLakeClient';

describe('DevLakeClient', () => {
  const discoveryApi = { getBaseUrl: async () => 'http://backstage/api/devlake' };

  it('builds the query string and returns the body', async () => {
    const calls: string[] = [];
    const fetchApi = {
      fetch: (async (url: string) => {
        calls.push(url);
        return new Response(JSON.stringify({ service: 's', deployments: [], total: 0 }), { status: 200 });
      }) as typeof fetch,
    };
    const client = new DevLakeClient({ discoveryApi, fetchApi });
    await expect(client.getDeploymentHistory({ service: 'my svc', environment: 'prod', limit: 5 })).resolves.toEqual({
      service: 's',
      deployments: [],
      total: 0,
    });
    expect(calls).toEqual(['http://backstage/api/devlake/deployment-history?service=my+svc&environment=prod&limit=5']);
  });

  it('asks for the series with every parameter given', async () => {
    const calls: string[] = [];
    const fetchApi = {
      fetch: (async (url: string) => {
        calls.push(url);
        return new Response(JSON.stringify({ buckets: [] }), { status: 200 });
      }) as typeof fetch,
    };
    const client = new DevLakeClient({ discoveryApi, fetchApi });
    await expect(client.getDoraSeries({ team: 'Platform', interval: 'week', startDate: '2024-01-01' })).resolves.toEqual({
      buckets: [],
    });
    expect(calls).toEqual(['http://backstage/api/devlake/dora-metrics/series?team=Platform&interval=week&startDate=2024-01-01']);
  });

  it('throws a ResponseError carrying the status and the error body', async () => {
    const fetchApi = {
      fetch: (async () =>
        new Response(JSON.stringify({ error: 'Project not found' }), {
          status: 404,
          statusText: 'Not Found',
          headers: { 'Content-Type': 'application/json' },
        })) as typeof fetch,
    };
    const client = new DevLakeClient({ discoveryApi, fetchApi });
    const error = await client.getDoraMetrics({ project: 'x' }).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(404);
    // The plugin's {"error": "..."} body is not Backstage's error shape: ResponseError keeps its text.
    expect(error.body.error.message).toContain('{"error":"Project not found"}');
  });

  it('pages the history with offset and posts a batch as JSON', async () => {
    const calls: Array<{ url: string; init?: RequestInit }> = [];
    const fetchApi = {
      fetch: (async (url: string, init?: RequestInit) => {
        calls.push({ url, init });
        return new Response(JSON.stringify({ items: [] }), { status: 200 });
      }) as typeof fetch,
    };
    const client = new DevLakeClient({ discoveryApi, fetchApi });
    await client.getDeploymentHistory({ service: 's', limit: 10, offset: 20 });
    await client.getDoraMetricsBatch({ projects: ['a', 'b'], startDate: '2024-01-01' });
    expect(calls[0].url).toBe('http://backstage/api/devlake/deployment-history?service=s&limit=10&offset=20');
    expect(calls[1].url).toBe('http://backstage/api/devlake/dora-metrics/batch');
    expect(calls[1].init?.method).toBe('POST');
    expect(new Headers(calls[1].init?.headers).get('content-type')).toBe('application/json');
    expect(JSON.parse(String(calls[1].init?.body))).toEqual({ projects: ['a', 'b'], startDate: '2024-01-01' });
  });
});
