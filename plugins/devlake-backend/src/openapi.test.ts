import { mockCredentials } from '@backstage/backend-test-utils';
import { api } from './__testUtils__/api';
import { startDevLakeBackend } from './__testUtils__/backend';
import { devlakeModuleDemoDatabase } from '@fawkes/devlake-fixtures';
import { loadOpenApiDocument } from './schema/openapi';
import { deploymentHistoryQuerySchema, doraMetricsQuerySchema } from './router/queryValidation';

jest.setTimeout(60_000);

const auth = { Authorization: mockCredentials.user.header('user:default/alice') };
const document = loadOpenApiDocument();

const parameterNames = (path: string) => document.paths[path].get.parameters.map((p: { name: string }) => p.name);
const schemaEnum = (name: string) => document.components!.schemas[name].enum;

describe('the OpenAPI document', () => {
  let server: Parameters<typeof api>[0];
  beforeAll(async () => {
    ({ server } = await startDevLakeBackend({}, [devlakeModuleDemoDatabase]));
  });

  it('is served at /openapi.json behind the guard', async () => {
    const res = await api(server).get('/api/devlake/openapi.json').set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(document);
    expect(res.body.openapi).toBe('3.1.0');
    const anonymous = await api(server)
      .get('/api/devlake/openapi.json')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('is served while the database is not configured, too', async () => {
    const { server: unconfigured } = await startDevLakeBackend({});
    const res = await api(unconfigured).get('/api/devlake/openapi.json').set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(document);
  });

  it('lists exactly the query parameters and values the handlers accept', () => {
    expect(parameterNames('/dora-metrics')).toEqual(Object.keys(doraMetricsQuerySchema.shape));
    expect(parameterNames('/deployment-history')).toEqual(Object.keys(deploymentHistoryQuerySchema.shape));
    expect(schemaEnum('DoraBenchmark')).toEqual(doraMetricsQuerySchema.shape.benchmark.unwrap().options);
    expect(schemaEnum('DeploymentEnvironment')).toEqual(
      deploymentHistoryQuerySchema.shape.environment.unwrap().options,
    );
  });

  describe('bad input keeps the plugin’s own messages', () => {
    it.each([
      ['/dora-metrics?startDate=yesterday', 'startDate', 'startDate must be an ISO 8601 date (YYYY-MM-DD) or date-time'],
      // Matches the document's pattern; the handler knows there is no 30 February.
      ['/dora-metrics?startDate=2024-02-30', 'startDate', 'startDate must be an ISO 8601 date (YYYY-MM-DD) or date-time'],
      ['/dora-metrics?endDate=2024-13-01', 'endDate', 'endDate must be an ISO 8601 date (YYYY-MM-DD) or date-time'],
      ['/dora-metrics?startDate=2024-03-18&endDate=2024-03-17', 'startDate', 'startDate must not be after endDate'],
      ['/dora-metrics?benchmark=2022', 'benchmark', "benchmark must be '2021' or '2023'"],
      ['/dora-metrics?project=%20%20', 'project', 'project must not be empty'],
      ['/dora-metrics?team=', 'team', 'team must not be empty'],
      ['/dora-metrics?project=a&project=b', 'project', 'project must be a single string'],
      [`/dora-metrics?project=${'x'.repeat(256)}`, 'project', 'project must be at most 255 characters'],
      ['/deployment-history', 'service', 'service is required'],
      ['/deployment-history?service=', 'service', 'service must not be empty'],
      ['/deployment-history?service=my-service&limit=0', 'limit', 'limit must be an integer between 1 and 100'],
      ['/deployment-history?service=my-service&limit=101', 'limit', 'limit must be an integer between 1 and 100'],
      ['/deployment-history?service=my-service&limit=1.5', 'limit', 'limit must be an integer between 1 and 100'],
      ['/deployment-history?service=my-service&limit=abc', 'limit', 'limit must be an integer between 1 and 100'],
      [
        '/deployment-history?service=my-service&environment=production',
        'environment',
        "environment must be one of 'dev', 'staging', 'prod'",
      ],
    ])('%s → 400 %j', async (path, field, message) => {
      const res = await api(server).get(`/api/devlake${path}`).set(auth);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: message, details: [{ path: field, message }] });
    });

    it('lists every problem at once', async () => {
      const res = await api(server).get('/api/devlake/deployment-history?limit=0&environment=qa').set(auth);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(['service', 'environment', 'limit']);
      expect(res.body.error).toBe(res.body.details.map((d: { message: string }) => d.message).join('; '));
    });
  });

  describe('the document’s validator', () => {
    it('rejects query parameters the document does not list', async () => {
      const res = await api(server).get('/api/devlake/deployment-history?service=my-service&page=2').set(auth);
      expect(res.status).toBe(400);
      // The shared request path's one 400 body: `error` plus every problem in `details`.
      expect(res.body).toEqual({
        error: "Invalid request: Unknown query parameter 'page'",
        details: [{ path: '(request)', message: "Unknown query parameter 'page'" }],
      });
    });

    it('enforces the document’s limits where the handler would let a value through', async () => {
      // Trimmed it is one character; as sent it is longer than the document's 255.
      const res = await api(server)
        .get(`/api/devlake/dora-metrics?project=${encodeURIComponent(`a${' '.repeat(255)}`)}`)
        .set(auth);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'Invalid request: query.project must NOT have more than 255 characters',
        details: [{ path: 'query.project', message: 'must NOT have more than 255 characters' }],
      });
    });

    it('lets valid requests through to the handlers', async () => {
      const res = await api(server)
        .get('/api/devlake/deployment-history?service=my-service&environment=staging&limit=3')
        .set(auth);
      expect(res.status).toBe(200);
      expect(res.body.deployments.length).toBeGreaterThan(0);
      expect(res.body.deployments.length).toBeLessThanOrEqual(3);
      for (const deployment of res.body.deployments) expect(deployment.environment).toBe('staging');
      const metrics = await api(server)
        .get('/api/devlake/dora-metrics?project=my-service&startDate=2024-11-01T00:00:00Z&endDate=2024-12-01&benchmark=2021')
        .set(auth);
      expect(metrics.status).toBe(200);
      expect(metrics.body.period).toEqual({ startDate: '2024-11-01T00:00:00Z', endDate: '2024-12-01' });
    });

    it('accepts reserved characters unencoded in names and dates, as before', async () => {
      // `allowReserved` in the document: entity refs and date-times need not be percent-encoded.
      const res = await api(server)
        .get('/api/devlake/deployment-history?service=component:default/my-service&limit=1')
        .set(auth);
      // Past the validator: the handler looked the entity up (the test catalog has none).
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: "Service 'component:default/my-service' not found in DevLake" });
      const offset = await api(server)
        .get('/api/devlake/dora-metrics?startDate=2024-11-01T00:00:00%2B02:00&endDate=2024-12-01T12:30:00Z')
        .set(auth);
      expect(offset.status).toBe(200);
      expect(offset.body.period).toEqual({ startDate: '2024-11-01T00:00:00+02:00', endDate: '2024-12-01T12:30:00Z' });
    });
  });

  it('describes the rate limit answer', async () => {
    const { server: limited } = await startDevLakeBackend({}, [devlakeModuleDemoDatabase], {
      apiGuard: { rateLimit: { user: { limit: 1 } } },
    });
    expect((await api(limited).get('/api/devlake/deployment-history?service=my-service').set(auth)).status).toBe(200);
    const res = await api(limited).get('/api/devlake/dora-metrics').set(auth);
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ error: expect.any(String) });
  });
});
