import { mockCredentials } from '@backstage/backend-test-utils';
import { createDevLakeSchema, DevLakeFixture, DevLakeTestDatabases } from '@fawkes/devlake-fixtures';
import { api } from './__testUtils__/api';
import { startDevLakeBackend } from './__testUtils__/backend';

jest.setTimeout(60_000);

const databases = new DevLakeTestDatabases();
afterAll(() => databases.cleanup());

const auth = { Authorization: mockCredentials.user.header('user:default/alice') };

describe.each(databases.eachSupportedId())('deployment history from DevLake tables on %s', databaseId => {
  let server: any;

  beforeAll(async () => {
    const db = await databases.init(databaseId);
    await createDevLakeSchema(db.knex);
    const fx = new DevLakeFixture();
    fx.project('alpha');
    // One deployment of two commits: the first row starts 10:00, the last finishes 10:30.
    fx.deploymentCommit({
      project: 'alpha',
      deploymentId: 'r1',
      sha: 'sha-r1-a',
      started: '2024-03-08T10:00:00Z',
      finished: '2024-03-08T10:05:00Z',
      durationSec: 300,
      refName: 'main',
    });
    fx.deploymentCommit({
      project: 'alpha',
      deploymentId: 'r1',
      sha: 'sha-r1-b',
      started: '2024-03-08T10:20:00Z',
      finished: '2024-03-08T10:30:00Z',
      durationSec: 600,
      refName: 'main',
      message: 'feat: ship it',
      displayTitle: 'row title',
      url: 'https://ci.example.com/row',
    });
    fx.deployment({
      project: 'alpha',
      deploymentId: 'r1',
      name: 'deploy-production',
      displayTitle: 'Deploy v2.0.0 to production',
      url: 'https://ci.example.com/runs/42',
    });
    fx.release({ project: 'alpha', id: 'rel-1', commitSha: 'sha-r1-b', tagName: 'v2.0.0', publishedAt: '2024-03-08T11:00:00Z' });
    // Without a cicd_deployments row or a release: the row's own title, url and ref.
    fx.deploymentCommit({
      project: 'alpha',
      deploymentId: 'r2',
      sha: 'sha-r2',
      finished: '2024-03-09T10:00:00Z',
      durationSec: 120,
      refName: 'release/2.1',
      displayTitle: 'Deploy 2.1',
      url: 'https://ci.example.com/runs/43',
      result: 'FAILURE',
    });
    fx.deploymentCommit({ project: 'alpha', deploymentId: 'r3', finished: '2024-03-10T10:00:00Z', environment: 'TESTING' });
    await fx.write(db.knex);
    ({ server } = await startDevLakeBackend({ database: { client: db.client, connection: db.connection } }));
  });

  const history = (query: Record<string, string>) =>
    api(server).get('/api/devlake/deployment-history').query({ service: 'alpha', ...query }).set(auth);

  it('spans the whole deployment and takes title, link and version from DevLake', async () => {
    const res = await history({ environment: 'prod' });
    expect(res.status).toBe(200);
    expect(res.body.deployments).toEqual([
      {
        id: 'r2',
        title: 'Deploy 2.1',
        url: 'https://ci.example.com/runs/43',
        version: 'release/2.1',
        environment: 'prod',
        status: 'FAILURE',
        startTime: null,
        endTime: '2024-03-09T10:00:00Z',
        duration: 120,
        triggeredBy: null,
        commit: { sha: 'sha-r2', message: null, author: null },
      },
      {
        id: 'r1',
        title: 'Deploy v2.0.0 to production',
        url: 'https://ci.example.com/runs/42',
        version: 'v2.0.0',
        environment: 'prod',
        status: 'SUCCESS',
        startTime: '2024-03-08T10:00:00Z',
        endTime: '2024-03-08T10:30:00Z',
        duration: 1800,
        triggeredBy: null,
        commit: { sha: 'sha-r1-b', message: 'feat: ship it', author: null },
      },
    ]);
  });

  it('filters by status, and maps dev to DevLake TESTING/DEVELOPMENT', async () => {
    const failed = await history({ status: 'FAILURE' });
    expect(failed.body).toMatchObject({ total: 1, deployments: [{ id: 'r2', status: 'FAILURE' }] });
    const ok = await history({ status: 'SUCCESS' });
    expect(ok.body.deployments.map((d: any) => d.id)).toEqual(['r3', 'r1']);
    expect(ok.body.total).toBe(2);
    const dev = await history({ environment: 'dev', status: 'SUCCESS' });
    expect(dev.body).toMatchObject({ total: 1, deployments: [{ id: 'r3', environment: 'dev' }] });
    const bad = await history({ status: 'success' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("status must be 'SUCCESS' or 'FAILURE'");
  });

  it('pages with offset, newest first, and echoes offset and limit', async () => {
    const all = await history({ limit: '100' });
    const ids = all.body.deployments.map((d: any) => d.id);
    expect(ids).toEqual(['r3', 'r2', 'r1']);
    expect(all.body).toMatchObject({ total: 3, offset: 0, limit: 100 });
    const pages = [];
    for (const offset of ['0', '1', '2', '3']) {
      const page = await history({ limit: '1', offset });
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ total: 3, offset: Number(offset), limit: 1 });
      pages.push(...page.body.deployments.map((d: any) => d.id));
    }
    // Each page the next one; past the end an empty page, total unchanged.
    expect(pages).toEqual(ids);
    const filtered = await history({ status: 'SUCCESS', limit: '1', offset: '1' });
    expect(filtered.body).toMatchObject({ total: 2, offset: 1, deployments: [{ id: 'r1' }] });
  });

  it.each(['-1', '1.5', 'abc', '10001'])('rejects offset=%s with 400', async offset => {
    const res = await history({ offset });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'offset must be an integer between 0 and 10000',
      details: [{ path: 'offset', message: 'offset must be an integer between 0 and 10000' }],
    });
  });
});
