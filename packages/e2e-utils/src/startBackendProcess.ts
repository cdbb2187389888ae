import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BackendProcess {
  baseUrl: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

export interface StartBackendProcessOptions {
  /** The entry point to run; default `packages/backend/src/index.ts`. */
  entry?: string;
  /** Working directory; default `packages/backend`. */
  cwd?: string;
  /**
   * A plain JavaScript backend outside this repository: no TypeScript loader and no
   * app-config.yaml of this repository underneath the given config.
   */
  standalone?: boolean;
  /** Config objects layered, in order, over the repository's app-config.yaml. */
  config?: Record<string, unknown>[];
  /** Extra environment for the process. */
  env?: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** The Node binary to run; default the one running this process. */
  execPath?: string;
  /** Config files passed before the `config` layers (e.g. an app's own app-config.yaml). */
  configFiles?: string[];
  /**
   * Give `backend.listen` as an address string (`':<port>'`) rather than `{ port }`, for
   * config files that set it as a string (the stock app-config.production.yaml does).
   */
  listenAsAddress?: boolean;
  readyTimeoutMs?: number;
  /** A fixed port instead of a free one (e.g. the backend a built frontend app points at). */
  port?: number;
}

export async function freePort(): Promise<number> {
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
 * Starts a Backstage backend as a real process the way `yarn start` runs it, minus the file
 * watcher: Node with Backstage's TypeScript loader, the repository's app-config.yaml plus
 * the given overrides, on a free port. Resolves once the readiness probe answers.
 */
export async function startBackendProcess(options: StartBackendProcessOptions = {}): Promise<BackendProcess> {
  const backendDir = resolvePackagePath('backend');
  const port = options.port ?? (await freePort());
  const baseUrl = `http://localhost:${port}`;
  const configDir = mkdtempSync(join(tmpdir(), 'fawkes-backend-'));
  const listen = options.listenAsAddress ? `:${port}` : { port };
  const layers = [{ backend: { baseUrl, listen } }, ...(options.config ?? [])];
  const configArgs = layers.flatMap((layer, index) => {
    const file = join(configDir, `app-config.${index}.yaml`);
    writeFileSync(file, JSON.stringify(layer));
    return ['--config', file];
  });

  const repoArgs = options.standalone
    ? { loader: [], config: [] }
    : {
        loader: ['--require', require.resolve('@backstage/cli-node/config/nodeTransform.cjs')],
        config: ['--config', join(backendDir, '../../app-config.yaml')],
      };
  const child: ChildProcess = spawn(
    options.execPath ?? process.execPath,
    [
      ...(options.nodeArgs ?? []),
      ...repoArgs.loader,
      options.entry ?? join(backendDir, 'src/index.ts'),
      ...repoArgs.config,
      ...(options.configFiles ?? []).flatMap(file => ['--config', file]),
      ...configArgs,
    ],
    {
      cwd: options.cwd ?? backendDir,
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const chunks: string[] = [];
  child.stdout?.on('data', chunk => chunks.push(String(chunk)));
  child.stderr?.on('data', chunk => chunks.push(String(chunk)));
  const output = () => chunks.join('');

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise(done => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`backend exited with ${child.exitCode}:\n${output()}`);
    }
    const ready = await fetch(`${baseUrl}/.backstage/health/v1/readiness`).then(
      res => res.ok,
      () => false,
    );
    if (ready) {
      return { baseUrl, pid: child.pid!, output, stop };
    }
    await new Promise(done => setTimeout(done, 250));
  }
  await stop();
  throw new Error(`backend did not become ready in time:\n${output()}`);
}
