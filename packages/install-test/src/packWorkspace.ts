import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The backend plugins an adopter adds to packages/backend, one `backend.add` line each. */
export const backendPlugins = [
  '@fawkes/plugin-che-launcher-backend',
  '@fawkes/plugin-devlake-backend',
  '@fawkes/plugin-catalog-extensions-backend',
];

export interface WorkspacePackage {
  name: string;
  version: string;
  dir: string;
  dependencies: Record<string, string>;
}

/** Every published (non-private) package under plugins/. */
export function publishablePackages(root: string): WorkspacePackage[] {
  return readdirSync(join(root, 'plugins'), { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .flatMap(entry => {
      const dir = join('plugins', entry.name);
      let manifest;
      try {
        manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      } catch {
        return [];
      }
      if (manifest.private) return [];
      return [{ name: manifest.name, version: manifest.version, dir, dependencies: manifest.dependencies ?? {} }];
    });
}

/** The given packages and every @fawkes package they depend on, transitively. */
export function withFawkesDependencies(names: string[], packages: WorkspacePackage[]): WorkspacePackage[] {
  const byName = new Map(packages.map(pkg => [pkg.name, pkg]));
  const wanted = new Set<string>();
  const visit = (name: string) => {
    const pkg = byName.get(name);
    if (!pkg || wanted.has(name)) return;
    wanted.add(name);
    Object.keys(pkg.dependencies).filter(dep => dep.startsWith('@fawkes/')).forEach(visit);
  };
  names.forEach(visit);
  return packages.filter(pkg => wanted.has(pkg.name));
}

/** The file name a vendored tarball gets in the adopter's repository. */
export function tarballName(pkg: Pick<WorkspacePackage, 'name' | 'version'>) {
  return `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
}

export function yarn(args: string[], cwd: string) {
  return run('corepack', ['yarn', ...args], {
    cwd,
    env: { ...process.env, CI: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * Builds and packs the given packages the way a release would: type declarations
 * (`yarn tsc`), `backstage-cli package build`, then `yarn pack` (whose prepack rewrites
 * the manifest for publishing and turns `workspace:^` into real version ranges).
 * Returns the tarball path of each package.
 */
export async function packWorkspace(
  root: string,
  packages: WorkspacePackage[],
  outDir: string,
): Promise<Map<WorkspacePackage, string>> {
  await yarn(['tsc'], root);
  const tarballs = new Map<WorkspacePackage, string>();
  for (const pkg of packages) {
    const cwd = join(root, pkg.dir);
    await yarn(['build'], cwd);
    const tarball = join(outDir, tarballName(pkg));
    await yarn(['pack', '--out', tarball], cwd);
    tarballs.set(pkg, tarball);
  }
  return tarballs;
}
