import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import vm from 'node:vm';
import selfsigned from 'selfsigned';
import { Agent, buildConnector } from 'undici';

/** The allowed devfile host of the tests (`backend.reading.allow`). */
export const FIXTURE_HOST = 'devfiles.example.test';
/** A second host the tests' devfile host also answers for, but which is not allowed. */
export const UNLISTED_HOST = 'unlisted.example.test';

export type FixtureFile =
  | { body: string | Buffer; delayMs?: number }
  | { status: 404 | 500 }
  /** A redirect to `location` (absolute, e.g. `http://devfiles.example.test/x.yaml`). */
  | { redirect: string; status?: 301 | 302 | 307 | 308 };

/**
 * A real devfile host for tests: an HTTPS server (certificate for FIXTURE_HOST and
 * UNLISTED_HOST) and a plain HTTP server on 127.0.0.1. Node's fetch, which Backstage's
 * FetchUrlReader uses, is pointed at them by a process-wide dispatcher: connections to those
 * host names go to the local servers (https → the TLS one, http → the plain one), every other
 * host is refused, so no test reaches the network. One host per test process; each backend's
 * `files` are added to what it serves.
 */
class DevfileHost {
  private readonly files = new Map<string, FixtureFile>();
  private readonly pending = new Set<http.ServerResponse>();
  private tlsPort = 0;
  private plainPort = 0;

  static async start(): Promise<DevfileHost> {
    const host = new DevfileHost();
    await host.listen();
    return host;
  }

  serve(files: Record<string, FixtureFile>) {
    for (const [path, file] of Object.entries(files)) this.files.set(path, file);
  }

  private handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const file = this.files.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!file) {
      res.writeHead(404).end('not found');
    } else if ('redirect' in file) {
      res.writeHead(file.status ?? 302, { location: file.redirect }).end();
    } else if ('status' in file) {
      res.writeHead(file.status).end(file.status === 500 ? 'stack trace at 10.0.0.5' : 'not found');
    } else {
      const send = () => {
        this.pending.delete(res);
        res.writeHead(200, { 'content-type': 'text/yaml' }).end(file.body);
      };
      if (!file.delayMs) {
        send();
        return;
      }
      this.pending.add(res);
      const timer = setTimeout(send, file.delayMs);
      res.on('close', () => {
        clearTimeout(timer);
        this.pending.delete(res);
      });
    }
  };

  private async listen() {
    const pems = selfsigned.generate([{ name: 'commonName', value: FIXTURE_HOST }], {
      days: 1,
      keySize: 2048,
      extensions: [
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: FIXTURE_HOST },
            { type: 2, value: UNLISTED_HOST },
          ],
        },
      ],
    });
    const tls = https.createServer({ key: pems.private, cert: pems.cert }, this.handle);
    const plain = http.createServer(this.handle);
    const listen = (server: http.Server) =>
      new Promise<number>(resolve =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
      );
    [this.tlsPort, this.plainPort] = await Promise.all([listen(tls), listen(plain)]);
    // Kept for the life of the test process; the dispatcher below only for this test file.
    tls.unref();
    plain.unref();

    const connect = buildConnector({ ca: pems.cert });
    // The dispatcher is process-wide and Jest reuses a worker process for later test files,
    // so every other host (127.0.0.1 servers of other suites) is connected to as usual.
    const connectElsewhere = buildConnector({});
    const names = new Set([FIXTURE_HOST, UNLISTED_HOST]);
    const dispatcher = new Agent({
      connect: (options, callback) => {
        if (!names.has(options.hostname)) {
          connectElsewhere(options, callback);
          return;
        }
        const https_ = options.protocol === 'https:';
        connect(
          {
            ...options,
            hostname: '127.0.0.1',
            host: '127.0.0.1',
            port: String(https_ ? this.tlsPort : this.plainPort),
            servername: options.hostname,
          },
          callback,
        );
      },
    });
    // Node's own fetch reads its dispatcher from the main realm's global, which Jest's
    // sandbox global is not. A data: URL makes Node load its fetch (which installs Node's own
    // dispatcher) so that there is one to put back.
    await fetch('data:,').catch(() => undefined);
    previousDispatcher ??= mainRealm[GLOBAL_DISPATCHER];
    mainRealm[GLOBAL_DISPATCHER] = dispatcher;
  }
}

const mainRealm = vm.runInThisContext('globalThis') as Record<symbol, unknown>;
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
let previousDispatcher: unknown;

// This test file's dispatcher must not outlive it: Jest runs later files in the same process,
// and this undici (loaded in this file's sandbox) cannot start its HTTP parser once that sandbox
// is gone ("WebAssembly.Module(): Argument 0 must be a buffer source": every later fetch failed).
afterAll(() => {
  if (previousDispatcher !== undefined) mainRealm[GLOBAL_DISPATCHER] = previousDispatcher;
  previousDispatcher = undefined;
});

let shared: Promise<DevfileHost> | undefined;

/** The test process's devfile host, now also serving `files`. */
export async function serveDevfiles(files: Record<string, FixtureFile>): Promise<void> {
  shared ??= DevfileHost.start();
  (await shared).serve(files);
}
