import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The packages an adopter installs, and the folders they live in. */
export const publishablePackages = [
  { name: '@fawkes/plugin-api-guard-node', dir: 'plugins/api-guard-node' },
  { name: '@fawkes/plugin-che-launcher-common', dir: 'plugins/che-launcher-common' },
  { name: '@fawkes/plugin-che-launcher-backend', dir: 'plugins/che-launcher-backend' },
  { name: '@fawkes/plugin-devlake-common', dir: 'plugins/devlake-common' },
  { name: '@fawkes/plugin-devlake-backend', dir: 'plugins/devlake-backend' },
  { name: '@fawkes/plugin-catalog-extensions-common', dir: 'plugins/catalog-extensions-common' },
  { name: '@fawkes/plugin-catalog-extensions-backend', dir: 'plugins/catalog-extensions-backend' },
];

export function yarn(args: string[], cwd: string) {
  return run('corepack', ['yarn', ...args], {
    cwd,
    env: { ...process.env, CI: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * Builds and packs every publishable package the way a release would: type declarations
 * (`yarn tsc`), `backstage-cli package build`, then `yarn pack` (whose prepack rewrites
 * the manifest for publishing and turns `workspace:^` into real version ranges).
 */
export async function packWorkspace(root: string, outDir: string): Promise<Record<string, string>> {
  await yarn(['tsc'], root);
  const tarballs: Record<string, string> = {};
  for (const pkg of publishablePackages) {
    const cwd = join(root, pkg.dir);
    await yarn(['build'], cwd);
    const tarball = join(outDir, `${pkg.name.replace('@fawkes/', '')}.tgz`);
    await yarn(['pack', '--out', tarball], cwd);
    tarballs[pkg.name] = tarball;
  }
  return tarballs;
}
