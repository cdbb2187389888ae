import { BackendProcess, startBackendProcess } from './startBackendProcess';

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

  it('serves the catalog, with this repository in it, to the dev service token', async () => {
    expect((await get('/api/catalog/entities')).status).toBe(401);
    const res = await get('/api/catalog/entities?filter=kind=system', serviceToken);
    expect(res.status).toBe(200);
    const names = (await res.json()).map((e: { metadata: { name: string } }) => e.metadata.name);
    expect(names).toContain('fawkes-backstage-plugins');
  });

  it('signs in a guest and serves the catalog to that user token', async () => {
    const token = await guestUserToken();
    const res = await get('/api/catalog/entities?filter=kind=component', token);
    expect(res.status).toBe(200);
    expect((await res.json()).length).toBeGreaterThan(0);
  });
});
