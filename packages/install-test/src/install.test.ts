import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createDemoDevLakeDatabase } from '@fawkes/devlake-fixtures';
import { BackendProcess, startBackendProcess } from '@fawkes/e2e-utils';
import { devWorkspaceResources, KubeApiTestServer } from '@fawkes/kube-api-test-server';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packWorkspace, yarn } from './packWorkspace';

const root = join(resolvePackagePath('@fawkes/install-test'), '../..');
const token = 'install-test-service-token';
const plugins = [
  '@fawkes/plugin-che-launcher-backend',
  '@fawkes/plugin-devlake-backend',
  '@fawkes/plugin-catalog-extensions-backend',
];

/**
 * The adopter path: a separate, minimal Backstage backend outside this workspace, with stock
 * `@backstage/backend-defaults` and `@backstage/plugin-catalog-backend`, `yarn add`s the
 * packed plugins, adds one `backend.add` line per plugin, starts, and answers on each plugin.
 */
describe('installing the packed plugins into a stock Backstage backend', () => {
  const work = mkdtempSync(join(tmpdir(), 'fawkes-install-'));
  const app = join(work, 'adopter-backend');
  let kube: KubeApiTestServer;
  let backend: BackendProcess;
  let devlakeProject: string;

  beforeAll(async () => {
    const tarballs = await packWorkspace(root, work);

    mkdirSync(app);
    const libraries = Object.fromEntries(
      Object.entries(tarballs)
        .filter(([name]) => !plugins.includes(name))
        .map(([name, file]) => [name, `file:${file}`]),
    );
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify(
        {
          name: 'adopter-backend',
          private: true,
          packageManager: 'yarn@4.13.0',
          dependencies: {
            '@backstage/backend-defaults': '^0.19.0',
            '@backstage/plugin-catalog-backend': '^4.0.5',
            'better-sqlite3': '^12.4.1',
          },
          // The plugins' own @fawkes dependencies are not on a registry: take them from the packs.
          resolutions: libraries,
        },
        null,
        2,
      ),
    );
    writeFileSync(join(app, '.yarnrc.yml'), 'nodeLinker: node-modules\nenableTelemetry: false\n');
    writeFileSync(join(app, 'yarn.lock'), '');
    await yarn(['add', ...plugins.map(name => `${name}@file:${tarballs[name]}`)], app).catch(error => {
      throw new Error(`yarn add failed:\n${error.stdout}\n${error.stderr}`);
    });
    writeFileSync(
      join(app, 'index.js'),
      [
        "const { createBackend } = require('@backstage/backend-defaults');",
        'const backend = createBackend();',
        "backend.add(import('@backstage/plugin-catalog-backend'));",
        ...plugins.map(name => `backend.add(import('${name}'));`),
        'backend.start();',
        '',
      ].join('\n'),
    );

    kube = await KubeApiTestServer.start({ token: 'kube-token', resources: devWorkspaceResources });
    const devlakeFile = join(work, 'devlake.sqlite');
    const demo = await createDemoDevLakeDatabase({ filename: devlakeFile });
    devlakeProject = demo.summary.projects[0];
    await demo.knex.destroy();

    backend = await startBackendProcess({
      entry: join(app, 'index.js'),
      cwd: app,
      standalone: true,
      env: { NODE_ENV: 'production' },
      config: [
        {
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
            auth: { externalAccess: [{ type: 'static', options: { token, subject: 'install-test' } }] },
          },
          cheLauncher: {
            kubernetes: { type: 'url', url: kube.url, token: 'kube-token', skipTLSVerify: true },
          },
          devlake: { database: { client: 'better-sqlite3', connection: { filename: devlakeFile } } },
        },
      ],
    });
  }, 900_000);

  afterAll(async () => {
    await backend?.stop();
    await kube?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const get = (path: string, withToken = true) =>
    fetch(`${backend.baseUrl}${path}`, {
      headers: withToken ? { Authorization: `Bearer ${token}` } : {},
    });

  it('serves che-launcher', async () => {
    const res = await get('/api/che-launcher/workspaces');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(await res.json()).toEqual({ workspaces: [], total: 0 });
  });

  it('serves devlake', async () => {
    const res = await get(`/api/devlake/dora-metrics?project=${encodeURIComponent(devlakeProject)}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.project).toBe(devlakeProject);
    expect(body.metrics.deploymentFrequency.unit).toBe('deploys/week');
  });

  it('serves catalog-extensions', async () => {
    const res = await get('/api/catalog-extensions/entities?filter=kind=component');
    expect(res.status).toBe(200);
    expect(Array.isArray(await res.json())).toBe(true);
  });

  it('guards every plugin', async () => {
    for (const path of ['/api/che-launcher/workspaces', '/api/devlake/dora-metrics', '/api/catalog-extensions/entities']) {
      const res = await get(path, false);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(await res.json()).toEqual({ error: expect.any(String) });
    }
  });
});
