import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

export interface BackendProcess {
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts `packages/backend` as a real process, the way `yarn start` runs it (Backstage's
 * TypeScript loader, the repository's app-config.yaml) on a free port, and waits until
 * it reports ready.
 */
export async function startBackendProcess(extraConfig: Record<string, unknown> = {}): Promise<BackendProcess> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const overrides = join(mkdtempSync(join(tmpdir(), 'fawkes-backend-')), 'app-config.test.yaml');
  writeFileSync(
    overrides,
    JSON.stringify({ backend: { baseUrl, listen: { port } }, ...extraConfig }),
  );
  const packageDir = resolvePackagePath('backend');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      resolve(packageDir, '../../app-config.yaml'),
      '--config',
      overrides,
    ],
    {
      cwd: packageDir,
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const chunks: string[] = [];
  child.stdout?.on('data', chunk => chunks.push(String(chunk)));
  child.stderr?.on('data', chunk => chunks.push(String(chunk)));
  const output = () => chunks.join('');

  const stop = async () => {
    if (child.exitCode !== null) {
      return;
    }
    const exited = new Promise(done => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`backend exited with ${child.exitCode}:\n${output()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      if (res.ok) {
        return { baseUrl, output, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise(done => setTimeout(done, 250));
  }
  await stop();
  throw new Error(`backend did not become ready within 90 s:\n${output()}`);
}
