import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { adopterEnv, adopterYarn, run } from './adopterCommands';
import { tarballName, WorkspacePackage } from './packWorkspace';

/** Where an adopter keeps the vendored tarballs: inside `.yarn/`, which the stock Dockerfile copies. */
export const vendorDir = '.yarn/vendor';

/**
 * Generates a Backstage app with the pinned `@backstage/create-app` (this package's
 * devDependency), the way `npx @backstage/create-app` does, without its install step.
 */
export async function createStockApp(workDir: string, name: string): Promise<string> {
  const createApp = join(dirname(require.resolve('@backstage/create-app/package.json')), 'bin/backstage-create-app');
  // create-app asks `yarn --version` in the current directory: give corepack a Yarn to pick.
  writeFileSync(join(workDir, 'package.json'), JSON.stringify({ private: true, packageManager: 'yarn@4.13.0' }));
  await run('node', [createApp, '--skip-install', '--path', name], workDir, adopterEnv({ BACKSTAGE_APP_NAME: name }));
  return join(workDir, name);
}

/**
 * The first `yarn install` of the generated app, resolved as of its Backstage release.
 * create-app seeds the app's yarn.lock from Backstage's GitHub repository, which this machine
 * cannot reach; without the seed, every `^` range floats to today's releases and mixes
 * Backstage versions (a newer signals-backend on the app's backend-defaults 0.18 fails to
 * start). The app's own packages come out days after create-app itself, so the cut-off is the
 * next Backstage release: an hour before the first `@backstage/backend-defaults` newer than the
 * minor the app's backend asks for. A release is published over minutes, not in one instant
 * (backend-app-api 1.9.0, which asks for backend-plugin-api ^1.12.0, came out 66 s before
 * backend-defaults 0.19.0), so a cut-off a minute before it would let some of it in. The stock
 * `.yarnrc.yml` is put back afterwards.
 */
export async function installAsReleased(appDir: string) {
  const ageMinutes = await minutesSinceNextRelease(appDir);
  const yarnrcFile = join(appDir, '.yarnrc.yml');
  const stockYarnrc = readFileSync(yarnrcFile, 'utf8');
  const pinned = stockYarnrc
    .replace(/^npmMinimalAgeGate:.*$/m, `npmMinimalAgeGate: ${ageMinutes}m`)
    .replace(/^npmPreapprovedPackages:\n(?:\s+-.*\n)*/m, '');
  writeFileSync(yarnrcFile, pinned.includes('npmMinimalAgeGate') ? pinned : `${pinned}\nnpmMinimalAgeGate: ${ageMinutes}m\n`);
  try {
    return await install(appDir);
  } finally {
    writeFileSync(yarnrcFile, stockYarnrc);
  }
}

/** How long before its backend-defaults a release's first packages may be published. */
const releaseWindowMs = 60 * 60_000;

async function minutesSinceNextRelease(appDir: string): Promise<number> {
  const backend = JSON.parse(readFileSync(join(appDir, 'packages/backend/package.json'), 'utf8'));
  const range: string = backend.dependencies['@backstage/backend-defaults'];
  const [, major, minor] = /(\d+)\.(\d+)/.exec(range) ?? [];
  const { stdout } = await run('npm', ['view', '@backstage/backend-defaults', 'time', '--json'], appDir);
  const times: Record<string, string> = JSON.parse(stdout);
  const newer = Object.entries(times)
    .filter(([version]) => {
      const m = /^(\d+)\.(\d+)\.\d+$/.exec(version);
      return m && (Number(m[1]) > Number(major) || (Number(m[1]) === Number(major) && Number(m[2]) > Number(minor)));
    })
    .map(([, time]) => Date.parse(time))
    .sort((a, b) => a - b);
  if (!newer.length) return 1;
  return Math.ceil((Date.now() - (newer[0] - releaseWindowMs)) / 60_000);
}

/** `yarn install` in the app, with what an adopter sees: the lockfile may change. */
export function install(appDir: string) {
  return adopterYarn(['install'], appDir, { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' });
}

/**
 * The unmet or mismatched peer requirements `yarn explain peer-requirements` lists, without
 * the hashes and versions that differ between two installs of the same packages.
 */
export async function peerProblems(appDir: string): Promise<Set<string>> {
  const { stdout } = await adopterYarn(['explain', 'peer-requirements'], appDir);
  return new Set(
    stdout
      .split('\n')
      .filter(line => line.includes('✘'))
      .map(line =>
        line
          .replace(/^.*✘\s*/, '')
          .replace(/@npm:[^\s\]]+/g, '')
          .replace(/@workspace:[^\s]+/g, '')
          .replace(/\s*\[[0-9a-f]{5}\]/g, '')
          .replace(/ and \d+ other dependenc(y|ies)$/, '')
          .trim(),
      ),
  );
}

/** Every installed copy of every `@backstage/*` package: name → versions. */
export function backstageVersions(appDir: string): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const walk = (nodeModules: string, depth: number) => {
    let scopes: string[];
    try {
      scopes = readdirSync(nodeModules);
    } catch {
      return;
    }
    for (const entry of scopes) {
      const dirs = entry.startsWith('@')
        ? readdirSync(join(nodeModules, entry)).map(child => join(entry, child))
        : [entry];
      for (const pkgDir of dirs) {
        const full = join(nodeModules, pkgDir);
        if (pkgDir.startsWith('@backstage/')) {
          try {
            const { version } = JSON.parse(readFileSync(join(full, 'package.json'), 'utf8'));
            (found.get(pkgDir) ?? found.set(pkgDir, new Set()).get(pkgDir)!).add(version);
          } catch {
            // not a package
          }
        }
        if (depth < 6) walk(join(full, 'node_modules'), depth + 1);
      }
    }
  };
  walk(join(appDir, 'node_modules'), 0);
  for (const workspace of ['packages/backend', 'packages/app']) {
    walk(join(appDir, workspace, 'node_modules'), 1);
  }
  return found;
}

/**
 * The vendored-tarball install path of the README: the tarballs under `.yarn/vendor/`, one
 * root `resolutions` entry per package (relative `file:` paths, so the lockfile holds no
 * machine's absolute path and the Docker build finds them where it copies `.yarn/`), the
 * plugins in packages/backend's dependencies by version, and one `backend.add` line each.
 */
export function vendorPackages(
  appDir: string,
  tarballs: Map<WorkspacePackage, string>,
  backendPlugins: string[],
) {
  mkdirSync(join(appDir, vendorDir), { recursive: true });
  const rootManifestFile = join(appDir, 'package.json');
  const rootManifest = JSON.parse(readFileSync(rootManifestFile, 'utf8'));
  for (const [pkg, tarball] of tarballs) {
    copyFileSync(tarball, join(appDir, vendorDir, tarballName(pkg)));
    rootManifest.resolutions = {
      ...rootManifest.resolutions,
      [pkg.name]: `file:./${vendorDir}/${tarballName(pkg)}`,
    };
  }
  writeFileSync(rootManifestFile, `${JSON.stringify(rootManifest, null, 2)}\n`);

  const backendManifestFile = join(appDir, 'packages/backend/package.json');
  const backendManifest = JSON.parse(readFileSync(backendManifestFile, 'utf8'));
  for (const name of backendPlugins) {
    const pkg = [...tarballs.keys()].find(candidate => candidate.name === name)!;
    backendManifest.dependencies[name] = `^${pkg.version}`;
  }
  writeFileSync(backendManifestFile, `${JSON.stringify(backendManifest, null, 2)}\n`);

  const indexFile = join(appDir, 'packages/backend/src/index.ts');
  const index = readFileSync(indexFile, 'utf8');
  if (!index.includes('backend.start();')) {
    throw new Error('the stock packages/backend/src/index.ts has no backend.start(); line');
  }
  writeFileSync(
    indexFile,
    index.replace(
      'backend.start();',
      `${backendPlugins.map(name => `backend.add(import('${name}'));`).join('\n')}\n\nbackend.start();`,
    ),
  );
}

/**
 * What the stock packages/backend/Dockerfile does, without Docker: build the backend (its
 * skeleton and bundle), then in a fresh directory with only the files the Dockerfile copies,
 * `yarn workspaces focus --all --production`, unpack the bundle, copy the configs.
 */
export async function buildProductionImage(appDir: string, imageDir: string) {
  await adopterYarn(['workspace', 'backend', 'build', '--skip-build-dependencies'], appDir);
  mkdirSync(imageDir, { recursive: true });
  cpSync(join(appDir, '.yarn'), join(imageDir, '.yarn'), {
    recursive: true,
    filter: source => !source.includes(`${join('.yarn', 'cache')}`) && !source.endsWith('install-state.gz'),
  });
  for (const file of ['.yarnrc.yml', 'backstage.json', 'yarn.lock', 'package.json']) {
    copyFileSync(join(appDir, file), join(imageDir, file));
  }
  await run('tar', ['xzf', join(appDir, 'packages/backend/dist/skeleton.tar.gz')], imageDir);
  const focus = await adopterYarn(['workspaces', 'focus', '--all', '--production'], imageDir, {
    NODE_ENV: 'production',
    YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
  });
  cpSync(join(appDir, 'examples'), join(imageDir, 'examples'), { recursive: true });
  for (const file of readdirSync(appDir).filter(name => /^app-config.*\.yaml$/.test(name))) {
    copyFileSync(join(appDir, file), join(imageDir, file));
  }
  await run('tar', ['xzf', join(appDir, 'packages/backend/dist/bundle.tar.gz')], imageDir);
  return focus;
}
