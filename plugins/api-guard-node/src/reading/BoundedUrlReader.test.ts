import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import selfsigned from 'selfsigned';
import { Agent } from 'undici';
import vm from 'node:vm';
import { describeError } from '../errors/renderError';
import { BoundedUrlReader, BoundedUrlReaderOptions } from './BoundedUrlReader';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Routes by path; unknown paths answer 404. */
function routes(table: Record<string, Handler>): Handler {
  return (req, res) => {
    const handler = table[new URL(req.url ?? '/', 'http://x').pathname];
    if (handler) handler(req, res);
    else res.writeHead(404).end('not found');
  };
}

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const redirect = (location: () => string, status = 302): Handler => (_req, res) => {
  res.writeHead(status, { location: location() }).end();
};
const body = (text: string | Buffer): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/yaml' }).end(text);
};

let plain: http.Server;
let other: http.Server;
let tls: https.Server;
let plainPort: number;
let otherPort: number;
let tlsPort: number;
let previousDispatcher: unknown;
/**
 * Node's own fetch (used by Backstage's FetchUrlReader) reads its dispatcher from the main
 * realm's global, which Jest's sandbox global is not.
 */
const mainRealm = vm.runInThisContext('globalThis') as Record<symbol, unknown>;
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
const hanging: http.ServerResponse[] = [];

const plainUrl = (path: string) => `http://127.0.0.1:${plainPort}${path}`;
const otherUrl = (path: string) => `http://127.0.0.1:${otherPort}${path}`;
const tlsUrl = (path: string) => `https://127.0.0.1:${tlsPort}${path}`;

beforeAll(async () => {
  plain = http.createServer(
    routes({
      '/doc.yaml': body('kind: Component\n'),
      '/big.yaml': (_req, res) => {
        // chunked, no content-length: the cap must hold while streaming
        res.writeHead(200);
        for (let i = 0; i < 8; i++) res.write('x'.repeat(1024));
        res.end();
      },
      '/boom': (_req, res) => res.writeHead(500).end('stack trace at 10.0.0.5'),
      '/hang': (_req, res) => {
        hanging.push(res);
      },
      '/slow-body': (_req, res) => {
        res.writeHead(200);
        res.write('kind: ');
        hanging.push(res);
      },
      '/to-other': redirect(() => otherUrl('/doc.yaml')),
      '/to-unlisted': redirect(() => 'http://127.0.0.2:9/secret.yaml?token=abc'),
      '/chain/1': redirect(() => plainUrl('/chain/2')),
      '/chain/2': redirect(() => plainUrl('/chain/3')),
      '/chain/3': redirect(() => plainUrl('/doc.yaml'), 301),
      '/loop': redirect(() => plainUrl('/loop')),
      '/to-relative': (_req, res) => res.writeHead(307, { location: '/doc.yaml' }).end(),
    }),
  );
  other = http.createServer(routes({ '/doc.yaml': body('kind: API\n') }));
  const pems = selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    days: 1,
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  tls = https.createServer(
    { key: pems.private, cert: pems.cert },
    routes({
      '/doc.yaml': body('kind: System\n'),
      '/downgrade': redirect(() => plainUrl('/doc.yaml')),
      '/to-tls': redirect(() => tlsUrl('/doc.yaml')),
    }),
  );
  [plainPort, otherPort, tlsPort] = await Promise.all([listen(plain), listen(other), listen(tls)]);
  // Node's fetch (used by Backstage's FetchUrlReader) trusts the test certificate.
  // A data: URL makes Node load its fetch (which installs Node's own dispatcher) so that there
  // is one to put back afterwards.
  await fetch('data:,').catch(() => undefined);
  previousDispatcher = mainRealm[GLOBAL_DISPATCHER];
  mainRealm[GLOBAL_DISPATCHER] = new Agent({ connect: { ca: pems.cert } });
});

afterAll(async () => {
  mainRealm[GLOBAL_DISPATCHER] = previousDispatcher;
  hanging.forEach(res => res.destroy());
  await Promise.all([plain, other, tls].map(s => new Promise(resolve => s.close(resolve))));
});

function reader(options: Partial<BoundedUrlReaderOptions> = {}, allow = [plainPort, otherPort, tlsPort]) {
  const config = new ConfigReader({
    backend: {
      reading: {
        allow: allow.map(port => ({ host: `127.0.0.1:${port}` })),
      },
    },
  });
  const logger = mockServices.logger.mock();
  // The backend's real UrlReaderService, as coreServices.urlReader builds it.
  const urlReader = UrlReaders.default({ config, logger });
  return BoundedUrlReader.create(
    { config: mockServices.rootConfig({ data: config.get() as any }), logger, urlReader },
    { maxSize: 4096, timeoutMs: 1000, subject: 'The test file', ...options },
  );
}

/** The status and message the api guard would answer for a failed read. */
async function failure(read: Promise<unknown>) {
  try {
    await read;
  } catch (error) {
    const { status, message } = describeError(error);
    return { status, message };
  }
  throw new Error('expected the read to fail');
}

describe('BoundedUrlReader', () => {
  it('reads an allowed URL', async () => {
    const read = await reader().read(plainUrl('/doc.yaml'));
    expect(read).toEqual({ url: plainUrl('/doc.yaml'), content: Buffer.from('kind: Component\n') });
  });

  it('follows redirects whose every hop is allowed, and reports the last hop', async () => {
    expect((await reader().read(plainUrl('/chain/1'))).url).toBe(plainUrl('/doc.yaml'));
    const cross = await reader().read(plainUrl('/to-other'));
    expect(cross).toEqual({ url: otherUrl('/doc.yaml'), content: Buffer.from('kind: API\n') });
    expect((await reader().read(plainUrl('/to-relative'))).url).toBe(plainUrl('/doc.yaml'));
    expect((await reader({ requireHttps: true }).read(tlsUrl('/to-tls'))).content.toString()).toBe('kind: System\n');
  });

  it('refuses a redirect to a host outside backend.reading.allow, naming that hop only', async () => {
    expect(await failure(reader().read(plainUrl('/to-unlisted')))).toEqual({
      status: 400,
      message:
        'Redirect to http://127.0.0.2:9/secret.yaml refused: reading from this host is not allowed (backend.reading.allow or an integration must allow it)',
    });
    // the second host is reachable, but not allowed
    expect(await failure(reader({}, [plainPort]).read(plainUrl('/to-other')))).toEqual({
      status: 400,
      message: expect.stringMatching(new RegExp(`^Redirect to http://127\\.0\\.0\\.1:${otherPort}/doc\\.yaml refused: reading from this host is not allowed`)),
    });
  });

  it('refuses an https URL that redirects to http when https is required', async () => {
    expect(await failure(reader({ requireHttps: true }).read(tlsUrl('/downgrade')))).toEqual({
      status: 400,
      message: `Redirect to ${plainUrl('/doc.yaml')} refused: only https URLs are allowed, not 'http:'`,
    });
    // without the requirement the same chain is read
    expect((await reader().read(tlsUrl('/downgrade'))).url).toBe(plainUrl('/doc.yaml'));
  });

  it('refuses http and other schemes up front', async () => {
    expect(await failure(reader({ requireHttps: true }).read(plainUrl('/doc.yaml')))).toEqual({
      status: 400,
      message: `Unable to read ${plainUrl('/doc.yaml')}: only https URLs are allowed, not 'http:'`,
    });
    expect(await failure(reader().read('ftp://127.0.0.1/doc.yaml'))).toEqual({
      status: 400,
      message: "Unable to read ftp://127.0.0.1/doc.yaml: URL scheme 'ftp:' is not supported, use http or https",
    });
    expect(await failure(reader().read('not a url'))).toEqual({ status: 400, message: 'Unable to read not a url: not a valid URL' });
    expect(await failure(reader().read(`http://u:p@127.0.0.1:${plainPort}/doc.yaml`))).toEqual({
      status: 400,
      message: `Unable to read 127.0.0.1:${plainPort}: credentials in the URL are not allowed`,
    });
    expect(await failure(reader().read('http://127.0.0.2:9/doc.yaml'))).toEqual({
      status: 400,
      message: expect.stringMatching(/^Unable to read http:\/\/127\.0\.0\.2:9\/doc\.yaml: reading from this host is not allowed/),
    });
  });

  it('caps the number of redirects', async () => {
    expect(await failure(reader({ maxRedirects: 2 }).read(plainUrl('/chain/1')))).toEqual({
      status: 400,
      message: `Unable to read ${plainUrl('/chain/1')}: more than 2 redirects (the last to ${plainUrl('/doc.yaml')})`,
    });
    expect(await failure(reader().read(plainUrl('/loop')))).toEqual({
      status: 400,
      message: `Unable to read ${plainUrl('/loop')}: more than 5 redirects`,
    });
  });

  it('answers 413 past the size cap, also for a body without content-length', async () => {
    expect(await failure(reader().read(plainUrl('/big.yaml')))).toEqual({
      status: 413,
      message: 'The test file is larger than the limit of 4096 bytes',
    });
  });

  it('answers 504 when the target does not answer, or stalls in the body, within the time bound', async () => {
    for (const path of ['/hang', '/slow-body']) {
      const started = Date.now();
      expect(await failure(reader({ timeoutMs: 300 }).read(plainUrl(path)))).toEqual({
        status: 504,
        message: `Unable to read ${plainUrl(path)}: no answer within 300 ms`,
      });
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it('answers 404 as 400 and upstream failures as 502 without their texts', async () => {
    expect(await failure(reader().read(plainUrl('/nope.yaml')))).toEqual({
      status: 400,
      message: `Unable to read ${plainUrl('/nope.yaml')}: not found (404)`,
    });
    expect(await failure(reader().read(plainUrl('/boom')))).toEqual({
      status: 502,
      message: `Unable to read ${plainUrl('/boom')}: 127.0.0.1:${plainPort} answered 500`,
    });
    const closed = http.createServer();
    const closedPort = await listen(closed);
    await new Promise(resolve => closed.close(resolve));
    expect(await failure(reader({}, [closedPort]).read(`http://127.0.0.1:${closedPort}/doc.yaml`))).toEqual({
      status: 502,
      message: `Unable to read http://127.0.0.1:${closedPort}/doc.yaml: 127.0.0.1:${closedPort} could not be reached`,
    });
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const read = reader({ timeoutMs: 5000 }).read(plainUrl('/hang'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    expect((await failure(read)).status).toBe(504);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
