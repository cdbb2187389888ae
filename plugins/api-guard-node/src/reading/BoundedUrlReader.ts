import { FetchUrlReader, ReadTreeResponseFactory } from '@backstage/backend-defaults/urlReader';
import {
  LoggerService,
  RootConfigService,
  UrlReaderService,
  UrlReaderServiceReadUrlResponse,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { InputError, isError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { Readable } from 'node:stream';
import { BadGatewayError, GatewayTimeoutError, PayloadTooLargeError } from '../errors/httpErrors';

/** Backstage's FetchUrlReader follows at most this many redirects per read. */
const BACKSTAGE_MAX_REDIRECTS = 5;
/** FetchUrlReader's message when a URL (a redirect target included) fails its predicate. */
const NOT_ALLOWED_BY_FETCH_READER = /^URL not allowed by backend\.reading\.allow configuration: (\S+)$/;

const CANCELLED = 'cancelled by the caller';

/**
 * Limits of one {@link BoundedUrlReader}.
 *
 * @public
 */
export interface BoundedUrlReaderOptions {
  /** Largest body read, in bytes; a larger one is a 413. */
  maxSize: number;
  /** Longest a whole read (every hop and the body) may take, in milliseconds; then 504. */
  timeoutMs: number;
  /** Refuse `http:` on the first URL and on every redirect hop. Default false. */
  requireHttps?: boolean;
  /** Most redirects followed (at most 5, Backstage's own cap). Default 5. */
  maxRedirects?: number;
  /** What is read, for messages ("The devfile is larger than ..."). Default "The document". */
  subject?: string;
}

/**
 * A document read by {@link BoundedUrlReader}.
 *
 * @public
 */
export interface BoundedRead {
  /** The URL the content came from (the last redirect hop). */
  url: string;
  content: Buffer;
}

/** Why a URL or hop may not be read, or undefined when it may. */
type HopCheck = (url: URL) => string | undefined;

/**
 * Reads user-given URLs through Backstage's URL readers, bounded in size and time, with one
 * status mapping for every plugin (see the package README):
 *
 * - URLs of a configured integration (GitHub, GitLab, ...) are read by the backend's
 *   `UrlReaderService`, i.e. by that integration's reader with its own host and credentials;
 * - every other URL goes to Backstage's `FetchUrlReader` one hop at a time: each hop is
 *   checked against `backend.reading.allow` (Backstage's own predicate), `https:` when
 *   required, and the hop cap before it is requested, and a refusal names the refused hop.
 *
 * @public
 */
export class BoundedUrlReader {
  static create(
    deps: { config: RootConfigService; logger: LoggerService; urlReader: UrlReaderService },
    options: BoundedUrlReaderOptions,
  ): BoundedUrlReader {
    const [{ predicate }] = FetchUrlReader.factory({
      config: deps.config,
      logger: deps.logger,
      // FetchUrlReader reads no trees; its factory ignores this.
      treeResponseFactory: {} as ReadTreeResponseFactory,
    });
    const integrations = ScmIntegrations.fromConfig(deps.config);
    return new BoundedUrlReader(
      deps.urlReader,
      url => Boolean(integrations.byUrl(url)),
      predicate,
      options,
    );
  }

  private readonly maxRedirects: number;
  private readonly subject: string;

  private constructor(
    private readonly urlReader: UrlReaderService,
    private readonly isIntegrationUrl: (url: URL) => boolean,
    private readonly isAllowedByReadingAllow: (url: URL) => boolean,
    private readonly options: BoundedUrlReaderOptions,
  ) {
    this.maxRedirects = Math.min(options.maxRedirects ?? BACKSTAGE_MAX_REDIRECTS, BACKSTAGE_MAX_REDIRECTS);
    this.subject = options.subject ?? 'The document';
  }

  /** Reads `url`; throws only the errors listed in the package README. */
  async read(url: string, options?: { signal?: AbortSignal }): Promise<BoundedRead> {
    const first = this.parse(url);
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(CANCELLED);
    options?.signal?.addEventListener('abort', onOuterAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new GatewayTimeoutError(
            `Unable to read ${url}: no answer within ${this.options.timeoutMs} ms`,
          ),
        );
      }, this.options.timeoutMs);
    });
    try {
      // Some integration readers ignore the signal: the race bounds them too.
      return await Promise.race([this.readBounded(first, controller.signal), timedOut]);
    } finally {
      clearTimeout(timer);
      options?.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  private async readBounded(first: URL, signal: AbortSignal): Promise<BoundedRead> {
    if (this.isIntegrationUrl(first)) {
      const response = await this.call(first, signal, () =>
        this.urlReader.readUrl(first.toString(), { signal }),
      );
      return { url: first.toString(), content: await this.collect(response, first, signal) };
    }
    const notAllowed = this.checkHop(first);
    if (notAllowed) throw new InputError(`Unable to read ${first}: ${notAllowed}`);

    let current = first;
    for (let redirects = 0; ; redirects++) {
      const hop = current;
      // A reader that may fetch this one URL (and what lies below its path on the same host
      // and port), so any redirect elsewhere comes back to us as a refusal to check.
      const reader = FetchUrlReader.fromConfig(
        new ConfigReader({
          backend: { reading: { allow: [{ host: `${hop.hostname}:${effectivePort(hop)}`, paths: [hop.pathname] }] } },
        }),
      );
      let response: UrlReaderServiceReadUrlResponse;
      try {
        response = await reader.readUrl(hop.toString(), { signal });
      } catch (error) {
        const redirect = isError(error) ? NOT_ALLOWED_BY_FETCH_READER.exec(error.message) : null;
        if (!redirect || signal.aborted) throw this.toReadError(error, hop, signal);
        const next = new URL(redirect[1]);
        if (next.toString() === hop.toString()) {
          // The narrowed reader refused the hop itself (a host form its predicate cannot express).
          throw new InputError(`Unable to read ${describeHop(hop)}: reading from this host is not allowed`);
        }
        if (redirects + 1 > this.maxRedirects) {
          throw new InputError(
            `Unable to read ${first}: more than ${this.maxRedirects} redirects (the last to ${describeHop(next)})`,
          );
        }
        const refused = this.checkHop(next);
        if (refused) throw new InputError(`Redirect to ${describeHop(next)} refused: ${refused}`);
        current = next;
        continue;
      }
      return { url: hop.toString(), content: await this.collect(response, hop, signal) };
    }
  }

  private parse(url: string): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InputError(`Unable to read ${url}: not a valid URL`);
    }
    const scheme = this.schemeProblem(parsed);
    if (scheme) throw new InputError(`Unable to read ${url}: ${scheme}`);
    if (parsed.username || parsed.password) {
      throw new InputError(`Unable to read ${parsed.host}: credentials in the URL are not allowed`);
    }
    return parsed;
  }

  private schemeProblem(url: URL): string | undefined {
    if (url.protocol === 'https:') return undefined;
    if (url.protocol === 'http:' && !this.options.requireHttps) return undefined;
    return this.options.requireHttps
      ? `only https URLs are allowed, not '${url.protocol}'`
      : `URL scheme '${url.protocol}' is not supported, use http or https`;
  }

  private checkHop: HopCheck = url => {
    const scheme = this.schemeProblem(url);
    if (scheme) return scheme;
    if (url.username || url.password) return 'credentials in the URL are not allowed';
    if (!this.isAllowedByReadingAllow(url)) {
      return 'reading from this host is not allowed (backend.reading.allow or an integration must allow it)';
    }
    return undefined;
  };

  private async call<T>(url: URL, signal: AbortSignal, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw this.toReadError(error, url, signal);
    }
  }

  private async collect(
    response: UrlReaderServiceReadUrlResponse,
    url: URL,
    signal: AbortSignal,
  ): Promise<Buffer> {
    if (!response.stream) {
      const buffer = await this.call(url, signal, () => response.buffer());
      if (buffer.length > this.options.maxSize) throw this.tooLarge();
      return buffer;
    }
    const stream: Readable = response.stream();
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        size += buffer.length;
        if (size > this.options.maxSize) throw this.tooLarge();
        chunks.push(buffer);
      }
    } catch (error) {
      if (isError(error) && error.name === 'PayloadTooLargeError') throw error;
      throw this.toReadError(error, url, signal);
    } finally {
      stream.destroy();
    }
    return Buffer.concat(chunks);
  }

  private tooLarge(): PayloadTooLargeError {
    return new PayloadTooLargeError(
      `${this.subject} is larger than the limit of ${this.options.maxSize} bytes`,
    );
  }

  /**
   * Reader errors may carry integration details (tokens never, but internal hosts and
   * response texts), so only what is known to be harmless is passed on.
   */
  private toReadError(error: unknown, url: URL, signal: AbortSignal): Error {
    if (signal.aborted) {
      return new GatewayTimeoutError(
        signal.reason === CANCELLED
          ? `Unable to read ${url}: the read was cancelled`
          : `Unable to read ${url}: no answer within ${this.options.timeoutMs} ms`,
      );
    }
    const name = isError(error) ? error.name : '';
    const message = isError(error) ? error.message : '';
    if (name === 'NotFoundError') return new InputError(`Unable to read ${url}: not found (404)`);
    if (name === 'NotAllowedError' || NOT_ALLOWED_BY_FETCH_READER.test(message)) {
      return new InputError(
        `Unable to read ${url}: reading from this host is not allowed (backend.reading.allow or an integration must allow it)`,
      );
    }
    if (/^Too many redirects/.test(message)) {
      return new InputError(`Unable to read ${url}: more than ${this.maxRedirects} redirects`);
    }
    // FetchUrlReader: 'could not read <url>, <status> <statusText>'
    const status = /, ([1-5]\d\d)(?: [^,]*)?$/.exec(message)?.[1];
    if (status) return new BadGatewayError(`Unable to read ${url}: ${url.host} answered ${status}`);
    return new BadGatewayError(`Unable to read ${url}: ${url.host} could not be reached`);
  }
}

function effectivePort(url: URL): string {
  if (url.port) return url.port;
  return url.protocol === 'https:' ? '443' : '80';
}

/** A hop as shown in messages: without query and fragment, which may carry secrets. */
function describeHop(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
