import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(resolvePackagePath('backend'), '../..');

// Values for the production config's environment substitutions.
const productionEnv = {
  APP_BASE_URL: 'https://backstage.example.com',
  BACKEND_BASE_URL: 'https://backstage.example.com',
  POSTGRES_HOST: 'postgres',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'backstage',
  POSTGRES_PASSWORD: 'secret',
  REDIS_URL: 'redis://redis:6379',
  CI_SERVICE_TOKEN: 'ci-token-from-a-secret',
  DEVLAKE_DB_HOST: 'devlake-mysql',
  DEVLAKE_DB_USER: 'backstage_ro',
  DEVLAKE_DB_PASSWORD: 'secret',
};

async function configCheck(files: string[], env: Record<string, string> = {}) {
  return run(
    process.execPath,
    [
      require.resolve('@backstage/cli/bin/backstage-cli'),
      'config:check',
      '--strict',
      ...files.flatMap(file => ['--config', join(root, file)]),
    ],
    { cwd: root, env: { ...process.env, ...env } },
  );
}

describe('configuration files match every package schema (config:check --strict)', () => {
  it('accepts app-config.yaml', async () => {
    await expect(configCheck(['app-config.yaml'])).resolves.toBeDefined();
  }, 120_000);

  it('accepts app-config.yaml with app-config.production.yaml', async () => {
    await expect(
      configCheck(['app-config.yaml', 'app-config.production.yaml'], productionEnv),
    ).resolves.toBeDefined();
  }, 120_000);

  it('rejects a config that breaks a plugin schema', async () => {
    await expect(
      configCheck(['app-config.yaml', 'packages/backend/src/testdata/app-config.broken.yaml']),
    ).rejects.toThrow(/apiGuard|must be/);
  }, 120_000);
});

describe('the che-launcher stand-in is local only', () => {
  // The backend adds the stand-in module unconditionally; it supplies a cluster only when
  // cheLauncher.kubernetes is not configured (see @fawkes/che-launcher-fixtures).
  it('app-config.production.yaml configures a cluster and no stand-in setting', () => {
    const production = readFileSync(join(root, 'app-config.production.yaml'), 'utf8');
    expect(production).toMatch(/^cheLauncher:\n {2}kubernetes:\n {4}type: inCluster$/m);
    expect(production).not.toMatch(/cheLauncherStandIn|localhost:7008/);
  });

  it('app-config.yaml configures no cluster, so the stand-in runs locally', () => {
    const local = readFileSync(join(root, 'app-config.yaml'), 'utf8');
    expect(local).not.toMatch(/^ {2}kubernetes:/m);
    expect(local).toMatch(/^cheLauncherStandIn:\n {2}devfilePort: 7008$/m);
  });
});
