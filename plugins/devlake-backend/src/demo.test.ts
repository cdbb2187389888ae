import { mockCredentials } from '@backstage/backend-test-utils';
import { api } from './__testUtils__/api';
import { startDevLakeBackend } from './__testUtils__/backend';
import { devlakeModuleDemoDatabase } from '@fawkes/devlake-fixtures';

jest.setTimeout(60_000);

const auth = { Authorization: mockCredentials.user.header('user:default/alice') };

describe('without devlake.database', () => {
  it('answers 503 when no module supplies a database', async () => {
    const { server } = await startDevLakeBackend({});
    const res = await api(server).get('/api/devlake/dora-metrics').set(auth);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'DevLake database is not configured: set devlake.database' });
  });

  it('validates the request before saying the database is not configured', async () => {
    const { server } = await startDevLakeBackend({});
    const bad = await api(server).get('/api/devlake/deployment-history?service=alpha&limit=0').set(auth);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: 'limit must be an integer between 1 and 100',
      details: [{ path: 'limit', message: 'limit must be an integer between 1 and 100' }],
    });
    const missing = await api(server).get('/api/devlake/deployment-history').set(auth);
    expect(missing.status).toBe(400);
    const badDate = await api(server).get('/api/devlake/dora-metrics?startDate=yesterday').set(auth);
    expect(badDate.status).toBe(400);
    const valid = await api(server).get('/api/devlake/deployment-history?service=alpha&limit=1').set(auth);
    expect(valid.status).toBe(503);
    expect(valid.body).toEqual({ error: 'DevLake database is not configured: set devlake.database' });
  });

  it('serves real numbers from a fallback database a module supplies (the embedded demo)', async () => {
    const { server } = await startDevLakeBackend({}, [devlakeModuleDemoDatabase]);
    const all = await api(server).get('/api/devlake/dora-metrics').set(auth);
    expect(all.status).toBe(200);
    for (const metric of Object.values(all.body.metrics) as any[]) {
      expect(metric.value).toEqual(expect.any(Number));
      expect(['elite', 'high', 'medium', 'low']).toContain(metric.performance);
      expect(['increasing', 'stable', 'decreasing']).toContain(metric.trend);
    }
    const project = await api(server)
      .get('/api/devlake/dora-metrics?project=my-service&team=platform-team')
      .set(auth);
    expect(project.status).toBe(200);
    expect(project.body.metrics.deploymentFrequency.value).toBeGreaterThan(0);

    const history = await api(server)
      .get('/api/devlake/deployment-history?service=catalog-web&environment=prod&limit=5')
      .set(auth);
    expect(history.status).toBe(200);
    expect(history.body.deployments).toHaveLength(5);
    expect(history.body.total).toBeGreaterThan(5);
    expect(history.body.deployments[0]).toMatchObject({ environment: 'prod', triggeredBy: null });
  });
});
