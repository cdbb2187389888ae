import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import selfsigned from 'selfsigned';

const HOST = 'localhost';

/** The bundled devfiles: `devfiles/<name>.yaml` of this package, by name. */
export function bundledDevfiles(): Map<string, string> {
  const dir = resolvePackagePath('@fawkes/che-launcher-fixtures', 'devfiles');
  const files = new Map<string, string>();
  for (const file of readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()) {
    files.set(file.replace(/\.yaml$/, ''), readFileSync(join(dir, file), 'utf8'));
  }
  return files;
}

/**
 * Serves the bundled devfiles at `https://localhost:<port>/devfiles/<name>.yaml` on loopback,
 * so the golden-path templates of the local config work offline. che-launcher reads devfiles
 * only over https through Backstage's UrlReader (`backend.reading.allow`), so the host has a
 * certificate made at start-up, which this process alone trusts: it is added to the process's
 * default CA certificates (its key never leaves memory).
 */
export class BundledDevfileHost {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly names: string[],
  ) {}

  static async start(options: { port: number; files?: Map<string, string> }): Promise<BundledDevfileHost> {
    if (typeof tls.setDefaultCACertificates !== 'function') {
      throw new Error(`trusting its certificate needs Node.js 22.19+ or 24.5+ (tls.setDefaultCACertificates); this is ${process.version}`);
    }
    const files = options.files ?? bundledDevfiles();
    // A subject of its own: OpenSSL finds a trusted certificate by subject name, so a second
    // host in the same process (tests) with the same subject would be checked against the first.
    const subject = [
      { name: 'commonName', value: HOST },
      { name: 'organizationName', value: `che-launcher stand-in ${randomUUID()}` },
    ];
    const pems = selfsigned.generate(subject, {
      days: 7,
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: HOST }] }],
    });
    const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
      const match = /^\/devfiles\/([a-z0-9-]+)\.yaml$/.exec(new URL(req.url ?? '/', 'https://x').pathname);
      const body = match && req.method === 'GET' ? files.get(match[1]) : undefined;
      if (body === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/yaml; charset=utf-8' }).end(body);
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    tls.setDefaultCACertificates([...tls.getCACertificates('default'), pems.cert]);
    return new BundledDevfileHost(server, (server.address() as AddressInfo).port, [...files.keys()]);
  }

  url(name: string): string {
    return `https://${HOST}:${this.port}/devfiles/${name}.yaml`;
  }

  stop(): Promise<void> {
    return new Promise(resolve => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
