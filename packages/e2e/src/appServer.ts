import { resolvePackagePath } from '@backstage/backend-plugin-api';
import express from 'express';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Server } from 'node:http';
import { join, resolve } from 'node:path';

export const appDir = resolvePackagePath('app');
export const appDistDir = join(appDir, 'dist');
export const repoRoot = resolve(appDir, '../..');

/**
 * A production build of packages/app (`backstage-cli package build`) with the repository's
 * app-config.yaml and the given config files, which Backstage bakes into dist/index.html.
 * The package's Jest globalSetup builds once per run (every e2e file then reuses that build, all
 * with the config of e2eConfig.ts); FAWKES_E2E_REUSE_APP_BUILD=1 reuses an existing dist (for
 * local iteration).
 */
export async function buildApp(configFiles: string[]): Promise<{ seconds: number; reused: boolean }> {
  const built = process.env.FAWKES_E2E_APP_BUILT; // set by globalSetup.ts after its build
  if (built && existsSync(join(appDistDir, 'index.html'))) {
    return { seconds: Number(built) || 0, reused: true };
  }
  if (process.env.FAWKES_E2E_REUSE_APP_BUILD === '1' && existsSync(join(appDistDir, 'index.html'))) {
    return { seconds: 0, reused: true };
  }
  const started = Date.now();
  const args = ['package', 'build', '--config', join(repoRoot, 'app-config.yaml')];
  for (const file of configFiles) args.push('--config', file);
  const cli = require.resolve('@backstage/cli/bin/backstage-cli');
  const output: string[] = [];
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: appDir,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', chunk => output.push(String(chunk)));
    child.stderr.on('data', chunk => output.push(String(chunk)));
    child.once('error', fail);
    child.once('exit', done);
  });
  if (code !== 0) {
    throw new Error(`app build failed (${code}):\n${output.join('').slice(-4000)}`);
  }
  return { seconds: (Date.now() - started) / 1000, reused: false };
}

export interface AppServer {
  baseUrl: string;
  stop(): Promise<void>;
}

/** Serves the built app as a static site with the single-page-app fallback to index.html. */
export async function serveApp(port: number): Promise<AppServer> {
  const app = express();
  app.use(express.static(appDistDir, { index: false, maxAge: '1h' }));
  app.get('*', (_req, res) => res.sendFile(join(appDistDir, 'index.html')));
  const server = await new Promise<Server>((done, fail) => {
    const s = app.listen(port, '127.0.0.1', () => done(s));
    s.once('error', fail);
  });
  return {
    baseUrl: `http://localhost:${port}`,
    stop: () => new Promise(done => server.close(() => done())),
  };
}
