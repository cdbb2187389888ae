import { BackendProcess, startBackendProcess } from '@fawkes/e2e-utils';

const serviceToken = 'dev-service-token-change-me';

describe('packages/backend as a process', () => {
  let backend: BackendProcess;

  beforeAll(async () => {
    backend = await startBackendProcess();
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
  });

  const get = (path: string, token?: string) =>
    fetch(`${backend.baseUrl}${path}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });

  async function guestUserToken(): Promise<string> {
    const res = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    return body.backstageIdentity.token;
  }

  /** The catalog ingests its locations after start-up; poll until a query returns entities. */
  async function entitiesEventually(path: string, token: string) {
    for (let attempt = 0; attempt < 120; attempt++) {
      const res = await get(path, token);
      expect(res.status).toBe(200);
      const entities = await res.json();
      if (entities.length > 0) {
        return entities as Array<{ metadata: { name: string } }>;
      }
      await new Promise(done => setTimeout(done, 250));
    }
    throw new Error(`no entities for ${path}:\n${backend.output()}`);
  }

  it('serves the catalog, with this repository in it, to the dev service token', async () => {
    expect((await get('/api/catalog/entities')).status).toBe(401);
    const systems = await entitiesEventually('/api/catalog/entities?filter=kind=system', serviceToken);
    expect(systems.map(e => e.metadata.name)).toContain('fawkes-backstage-plugins');
  }, 60_000);

  it('signs in a guest and serves the catalog to that user token', async () => {
    const token = await guestUserToken();
    const components = await entitiesEventually('/api/catalog/entities?filter=kind=component', token);
    expect(components.map(e => e.metadata.name)).toContain('my-service');
  }, 60_000);

  it('serves every Fawkes plugin behind the guard, with rate-limit headers', async () => {
    const token = await guestUserToken();
    const metrics = await get('/api/devlake/dora-metrics?project=my-service', token);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('x-ratelimit-limit')).toBe('100');
    const body = await metrics.json();
    expect(body.project).toBe('my-service');
    expect(body.metrics.deploymentFrequency.value).toEqual(expect.any(Number));

    await entitiesEventually('/api/catalog/entities?filter=kind=component', serviceToken);
    const entities = await get('/api/catalog-extensions/entities?filter=kind=component&fields=metadata.name', serviceToken);
    expect(entities.status).toBe(200);
    expect(entities.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(await entities.json()).toContainEqual({ metadata: { name: 'my-service' } });

    // No cluster is configured locally: the in-process stand-in cluster serves che-launcher.
    const workspaces = await get('/api/che-launcher/workspaces', token);
    expect(workspaces.status).toBe(200);
    expect(workspaces.headers.get('x-ratelimit-limit')).toBe('100');
    expect(await workspaces.json()).toEqual({ workspaces: expect.any(Array), total: expect.any(Number) });

    for (const path of ['/api/devlake/dora-metrics', '/api/catalog-extensions/entities', '/api/che-launcher/workspaces']) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(await res.json()).toEqual({ error: expect.any(String) });
    }
  }, 60_000);
});
