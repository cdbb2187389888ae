import { DevLakeApiClient } from '../api/DevLakeApi';

export type FakeReply =
  | { status?: number; body: unknown; headers?: Record<string, string> }
  | Promise<never>;

/**
 * Stands in for the devlake backend over fetch: each path (`/dora-metrics`, …; POSTs as
 * `POST /dora-metrics/batch`) answers with a Response the route function builds, so the real DevLakeApiClient and -common client parse it.
 */
export function fakeDevLakeBackend(routes: Record<string, (query: URLSearchParams, body?: any) => FakeReply>) {
  const requests: URL[] = [];
  /** The parsed JSON bodies of POST requests, in order. */
  const bodies: Array<{ path: string; body: any }> = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    requests.push(url);
    const path = url.pathname.replace(/^\/api\/devlake/, '');
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    if (body !== undefined) bodies.push({ path, body });
    const route = routes[init?.method === 'POST' ? `POST ${path}` : path];
    if (!route) {
      return new Response(JSON.stringify({ error: `no route ${path}` }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      });
    }
    const reply = await route(url.searchParams, body);
    return new Response(JSON.stringify(reply.body), {
      status: reply.status ?? 200,
      headers: { 'content-type': 'application/json; charset=utf-8', ...reply.headers },
    });
  };
  const api = new DevLakeApiClient({
    discoveryApi: { getBaseUrl: async pluginId => `http://backend.test/api/${pluginId}` },
    fetchApi: { fetch: fetch as typeof globalThis.fetch },
  });
  return { api, requests, bodies };
}

/** A never-settling reply, for loading states. */
export const pending = (): Promise<never> => new Promise<never>(() => {});

export function doraResponse(overrides: Partial<Record<string, object>> = {}, extra: object = {}) {
  return {
    project: 'my-service',
    team: null,
    period: { startDate: '2026-11-01', endDate: '2026-12-01' },
    metrics: {
      deploymentFrequency: {
        value: 10.39,
        unit: 'deploys/week',
        trend: 'stable',
        performance: 'elite',
        reason: null,
        deploymentDays: { value: 5, per: 'week' },
        ...overrides.deploymentFrequency,
      },
      leadTimeForChanges: { value: 135.2, unit: 'hours', trend: 'increasing', performance: 'high', reason: null, ...overrides.leadTimeForChanges },
      changeFailureRate: { value: 8.7, unit: 'percent', trend: 'decreasing', performance: 'medium', reason: null, ...overrides.changeFailureRate },
      timeToRestoreService: { value: 0.5, unit: 'hours', trend: null, performance: 'low', reason: null, ...overrides.timeToRestoreService },
    },
    ...extra,
  };
}

export const jsonError = (status: number, error: string, headers?: Record<string, string>) => ({
  status,
  body: { error },
  headers,
});
