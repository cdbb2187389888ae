import { mockCredentials } from '@backstage/backend-test-utils';
import { KubeApiTestServer } from '@fawkes/kube-api-test-server';
import { loadOpenApiDocument } from './schema/openapi';
import {
  checked,
  devfileUrl,
  DW,
  goldenDevfile,
  objectsOf,
  service,
  startCheLauncher,
  startKube,
  user,
} from './__testUtils__/harness';

const API = '/api/che-launcher';

describe('che-launcher OpenAPI document', () => {
  let kube: KubeApiTestServer;
  let backend: Awaited<ReturnType<typeof startCheLauncher>>;

  beforeAll(async () => {
    kube = await startKube(['ivy-workspaces']);
    backend = await startCheLauncher({ kube, files: { '/goldenpath-python.yaml': { body: goldenDevfile } } });
  });

  afterAll(async () => {
    await backend?.stop();
    await kube?.stop();
  });

  it('is served at GET /openapi.json, unchanged, behind authentication', async () => {
    const res = await checked(backend.server).get(`${API}/openapi.json`).set('Authorization', service());
    expect(res.status).toBe(200);
    expect(res.body).toEqual(loadOpenApiDocument());
    expect(res.body.openapi).toBe('3.1.0');

    const anonymous = await checked(backend.server)
      .get(`${API}/openapi.json`)
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('describes exactly the routes the plugin serves, each with its error answers', async () => {
    const { paths } = loadOpenApiDocument();
    const operations = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter(key => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
        .map(method => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'POST /workspaces',
        'GET /workspaces',
        'GET /workspaces/{workspaceId}',
        'DELETE /workspaces/{workspaceId}',
        'POST /workspaces/{workspaceId}/start',
        'POST /workspaces/{workspaceId}/stop',
        'GET /devfiles',
        'GET /openapi.json',
      ].sort(),
    );
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        if (method === 'parameters') continue;
        // Each documented operation is routed (the guard's catch-all would answer `Not found`).
        const res = await (checked(backend.server) as any)
          [method](`${API}${path.replace('{workspaceId}', 'ivy-workspaces.none')}`)
          .set('Authorization', service());
        expect({ operation: `${method} ${path}`, body: res.body }).not.toEqual({
          operation: `${method} ${path}`,
          body: { error: 'Not found' },
        });
        expect({ operation: `${method} ${path}`, statuses: Object.keys(operation.responses) }).toEqual({
          operation: `${method} ${path}`,
          statuses: expect.arrayContaining(['401', '429']),
        });
      }
    }
  });

  it('validates requests against the document before the handlers run', async () => {
    const api = checked(backend.server);
    // Unknown query parameters and repeated single-valued ones are the document's business.
    const unknown = await api.get(`${API}/workspaces?colour=blue`).set('Authorization', user('ivy'));
    expect(unknown.status).toBe(400);
    // The one 400 body of the shared request path: every problem in `details`.
    expect(unknown.body).toEqual({
      error: "Invalid request: Unknown query parameter 'colour'",
      details: [{ path: '(request)', message: "Unknown query parameter 'colour'" }],
    });
    const repeated = await api.get(`${API}/workspaces?status=Running&status=Stopped`).set('Authorization', user('ivy'));
    expect(repeated.status).toBe(400);
    expect(repeated.body.error).toMatch(/status/);
    const badStatus = await api.get(`${API}/workspaces?status=Paused`).set('Authorization', user('ivy'));
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error).toMatch(/status must be equal to one of the allowed values/);
    // Entity refs may be sent unencoded, as the README's curl examples do.
    const byOwner = await api.get(`${API}/workspaces?owner=user:default/ivy`).set('Authorization', user('ivy'));
    expect(byOwner.status).toBe(200);
    // Operations without a request body do not trip over one (e.g. `curl -d '{}'`).
    const startWithBody = await api
      .post(`${API}/workspaces/ivy-workspaces.none/start`)
      .set('Authorization', user('ivy'))
      .send({});
    expect(startWithBody.status).toBe(404);
    expect(startWithBody.body).toEqual({ error: 'Workspace not found' });
  });

  it('keeps the plugin’s own messages for the create body and its formats', async () => {
    const api = checked(backend.server);
    const missing = await api.post(`${API}/workspaces`).set('Authorization', user('ivy')).send({ name: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      error: 'Invalid request body: devfileUrl is required',
      details: [{ path: 'devfileUrl', message: 'is required' }],
    });
    const http = await api
      .post(`${API}/workspaces`)
      .set('Authorization', user('ivy'))
      .send({ devfileUrl: 'http://devfiles.example.test/goldenpath-python.yaml' });
    expect(http.status).toBe(400);
    expect(http.body).toEqual({ error: 'Invalid devfileUrl: URL must be HTTPS' });
    expect(objectsOf(kube, DW)).toEqual([]);

    // A valid request passes both checks.
    const created = await api
      .post(`${API}/workspaces`)
      .set('Authorization', user('ivy'))
      .send({ devfileUrl: devfileUrl('goldenpath-python.yaml'), name: 'ivy-ws' });
    expect(created.status).toBe(201);
    expect((await api.delete(`${API}/workspaces/${created.body.workspaceId}`).set('Authorization', user('ivy'))).status).toBe(204);
  });
});
