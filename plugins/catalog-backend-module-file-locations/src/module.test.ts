import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import catalogModuleFileLocations from './index';

jest.setTimeout(60_000);

const component = (name: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n`;

describe('catalogModuleFileLocations', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'file-locations-'));
    await fs.writeFile(path.join(tmp, 'catalog-info.yaml'), component('from-file'));
  });
  afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

  async function dryRunFileLocation(features: any[]) {
    const { server } = await startTestBackend({
      features: [catalogPlugin, mockServices.rootConfig.factory({ data: {} }), ...features],
    });
    return request(server)
      .post('/api/catalog/locations?dryRun=true')
      .set('Authorization', mockCredentials.user.header())
      .send({ type: 'file', target: path.join(tmp, 'catalog-info.yaml') });
  }

  it('lets the core catalog accept file locations', async () => {
    const res = await dryRunFileLocation([catalogModuleFileLocations]);
    expect(res.status).toBe(201);
    expect(res.body.entities.map((e: any) => e.metadata.name)).toContain('from-file');
  });

  it('is what makes the difference: without it the catalog refuses them', async () => {
    const res = await dryRunFileLocation([]);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/allowed type/);
  });
});
