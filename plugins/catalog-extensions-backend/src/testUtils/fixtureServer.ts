import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A tiny HTTP server on 127.0.0.1 serving catalog-info.yaml fixtures for the URL reader. */
export class FixtureServer {
  private readonly files = new Map<string, string | Buffer>();
  private readonly gates = new Map<string, Promise<unknown>>();
  private server?: http.Server;
  port = 0;

  set(path: string, content: string | Buffer): void {
    this.files.set(path, content);
  }

  /** Answers for `path` wait until `gate` settles (a target that is slow to read). */
  hold(path: string, gate: Promise<unknown>): void {
    this.gates.set(path, gate);
  }

  delete(path: string): void {
    this.files.delete(path);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      const answer = () => {
        const content = this.files.get(pathname);
        if (content === undefined) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/yaml' }).end(content);
      };
      const gate = this.gates.get(pathname);
      if (gate) gate.finally(answer);
      else answer();
    });
    await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
