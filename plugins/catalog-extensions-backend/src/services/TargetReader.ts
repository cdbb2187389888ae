import { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError, isError } from '@backstage/errors';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { CatalogExtensionsConfig } from '../config';

export type LocationType = 'url' | 'file';

/** A target that was read: its canonical form (what gets registered) and its bytes. */
export interface ReadTarget {
  type: LocationType;
  target: string;
  content: Buffer;
}

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * Reads a location's target before it is registered: `url` only through Backstage's
 * UrlReaderService (so `backend.reading.allow` and the integrations decide what may be
 * fetched), `file` only inside the configured roots. Everything is size-capped, and every
 * failure is a 400 that says why.
 */
export class TargetReader {
  constructor(
    private readonly urlReader: UrlReaderService,
    private readonly config: CatalogExtensionsConfig,
    private readonly cwd: string = process.cwd(),
  ) {}

  async read(type: LocationType, target: string): Promise<ReadTarget> {
    return type === 'url' ? this.readUrl(target) : this.readFile(target);
  }

  /** The canonical target without reading it (used to compare with registered locations). */
  canonicalUrl(target: string): string {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new InputError(`Invalid target: '${target}' is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InputError(
        `Invalid target: URL scheme '${url.protocol}' is not supported, use http or https`,
      );
    }
    if (url.username || url.password) {
      throw new InputError('Invalid target: credentials in the URL are not allowed');
    }
    return target;
  }

  private async readUrl(target: string): Promise<ReadTarget> {
    const url = this.canonicalUrl(target);
    const signal = AbortSignal.timeout(this.config.readTimeoutMs);
    let content: Buffer;
    try {
      const response = await this.urlReader.readUrl(url, { signal });
      content = response.stream
        ? await this.collect(response.stream(), signal)
        : this.capped(await response.buffer());
    } catch (error) {
      throw this.unreadable(target, error, signal);
    }
    return { type: 'url', target: url, content };
  }

  private async readFile(target: string): Promise<ReadTarget> {
    if (SCHEME.test(target) && !/^[a-zA-Z]:[\\/]/.test(target)) {
      throw new InputError(
        `Invalid target: a file target is a path, not a URL ('${target.split(':')[0]}:')`,
      );
    }
    if (target.includes('\0')) {
      throw new InputError('Invalid target: the path contains a NUL byte');
    }
    const roots = await this.realRoots();
    if (!roots.length) {
      throw new InputError(
        'file locations are not enabled: catalogExtensions.allowedFileRoots is empty',
      );
    }
    let real: string;
    try {
      real = await fs.realpath(path.resolve(this.cwd, target));
    } catch (error) {
      throw new InputError(`Unable to read ${target}: ${fileReason(error)}`);
    }
    if (!roots.some(root => isInside(root, real))) {
      throw new InputError(
        `Invalid target: ${target} is outside the allowed file roots (catalogExtensions.allowedFileRoots)`,
      );
    }
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(real, 'r');
      const stat = await handle.stat();
      if (!stat.isFile()) {
        throw new InputError(`Unable to read ${target}: not a regular file`);
      }
      if (stat.size > this.config.maxDocumentSize) {
        throw this.tooLarge();
      }
      const content = this.capped(await handle.readFile());
      return { type: 'file', target: real, content };
    } catch (error) {
      if (isError(error) && error.name === 'InputError') throw error;
      throw new InputError(`Unable to read ${target}: ${fileReason(error)}`);
    } finally {
      await handle?.close();
    }
  }

  private async realRoots(): Promise<string[]> {
    const roots: string[] = [];
    for (const root of this.config.allowedFileRoots) {
      try {
        roots.push(await fs.realpath(root));
      } catch {
        // A configured root that does not exist allows nothing.
      }
    }
    return roots;
  }

  private async collect(stream: Readable, signal: AbortSignal): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream) {
        if (signal.aborted) throw signal.reason;
        size += (chunk as Buffer).length;
        if (size > this.config.maxDocumentSize) {
          throw this.tooLarge();
        }
        chunks.push(chunk as Buffer);
      }
    } finally {
      stream.destroy();
    }
    return Buffer.concat(chunks);
  }

  private capped(buffer: Buffer): Buffer {
    if (buffer.length > this.config.maxDocumentSize) throw this.tooLarge();
    return buffer;
  }

  private tooLarge(): InputError {
    return new InputError(
      `Invalid catalog-info.yaml: the file is larger than the limit of ${this.config.maxDocumentSize} bytes`,
    );
  }

  private unreadable(target: string, error: unknown, signal: AbortSignal): InputError {
    if (isError(error) && error.name === 'InputError') return error as InputError;
    return new InputError(`Unable to read ${target}: ${urlReason(error, signal, this.config.readTimeoutMs)}`);
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function fileReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'not a regular file';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return 'the file could not be read';
  }
}

/**
 * A reason safe to show the caller: reader errors may carry integration details, so only
 * what is known to be harmless is passed on.
 */
function urlReason(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `no answer within ${timeoutMs} ms`;
  if (!isError(error)) return 'the target could not be fetched';
  if (error.name === 'NotFoundError') return 'not found (404)';
  if (error.name === 'NotAllowedError' || /not allowed/i.test(error.message)) {
    return 'reading from this host is not allowed (backend.reading.allow or an integration must allow it)';
  }
  // FetchUrlReader: 'could not read <url>, <status> <statusText>'
  const status = /, ([1-5]\d\d)(?: [^,]*)?$/.exec(error.message)?.[1];
  if (status) return `the server answered ${status}`;
  if (/redirect/i.test(error.message)) return 'too many redirects';
  return 'the target could not be fetched';
}
