import { InputError, isError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { BoundedUrlReader, PayloadTooLargeError } from '@fawkes/plugin-api-guard-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CatalogExtensionsConfig } from '../config';

export type LocationType = 'url' | 'file';

/** A target that was read: its canonical form (what gets registered) and its bytes. */
export interface ReadTarget {
  type: LocationType;
  target: string;
  content: Buffer;
}

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
// C0 controls, DEL and C1 controls: never part of a path or URL anyone means to register.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const GLOB_CHARACTERS = /[*?[\]{}]/;

/**
 * Reads a location's target before it is registered: `url` only through the shared
 * `BoundedUrlReader` (Backstage's URL readers; `backend.reading.allow` and the integrations
 * decide what may be fetched, every redirect hop included), `file` only inside the configured
 * roots. Both are bounded in size (413) and time (504), and every refusal says why.
 */
export class TargetReader {
  constructor(
    private readonly urlReader: BoundedUrlReader,
    private readonly integrations: ScmIntegrationRegistry,
    private readonly config: CatalogExtensionsConfig,
    private readonly cwd: string = process.cwd(),
  ) {}

  async read(type: LocationType, target: string): Promise<ReadTarget> {
    const canonical = this.canonical(type, target);
    return type === 'url' ? this.readUrl(canonical) : this.readFile(canonical);
  }

  /**
   * The form a target is registered (and compared with registered locations) in, so that
   * spellings of one target cannot register it twice: for `url`, scheme and host lower-cased,
   * default port and fragment dropped, dot segments resolved, and the query dropped unless an
   * integration (whose URLs may carry the path in it, as Azure's do) serves the host; for
   * `file`, the absolute path (symlinks are resolved when it is read).
   */
  canonical(type: LocationType, target: string): string {
    if (CONTROL_CHARACTERS.test(target)) {
      throw new InputError('Invalid target: control characters are not allowed');
    }
    if (type === 'file') {
      if (SCHEME.test(target) && !/^[a-zA-Z]:[\\/]/.test(target)) {
        throw new InputError(
          `Invalid target: a file target is a path, not a URL ('${target.split(':')[0]}:')`,
        );
      }
      if (GLOB_CHARACTERS.test(target)) {
        throw new InputError('Invalid target: glob patterns are not allowed in file targets');
      }
      return path.resolve(this.cwd, target);
    }
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
    if (GLOB_CHARACTERS.test(decodeURIComponent(url.pathname))) {
      throw new InputError('Invalid target: glob patterns are not allowed in url targets');
    }
    url.hash = '';
    if (!this.integrations.byUrl(url)) url.search = '';
    return url.toString();
  }

  private async readUrl(target: string): Promise<ReadTarget> {
    const { content } = await this.urlReader.read(target);
    return { type: 'url', target, content };
  }

  private async readFile(target: string): Promise<ReadTarget> {
    const roots = await this.realRoots();
    if (!roots.length) {
      throw new InputError(
        'file locations are not enabled: catalogExtensions.allowedFileRoots is empty',
      );
    }
    // Checked before the file system is asked anything, so that paths outside the roots
    // cannot be probed for existence; again after symlinks are resolved.
    const outside = () =>
      new InputError(
        `Invalid target: ${target} is outside the allowed file roots (catalogExtensions.allowedFileRoots)`,
      );
    if (!roots.some(root => isInside(root, target)) && !this.config.allowedFileRoots.some(root => isInside(root, target))) {
      throw outside();
    }
    let real: string;
    try {
      real = await fs.realpath(target);
    } catch (error) {
      throw new InputError(`Unable to read ${target}: ${fileReason(error)}`);
    }
    if (!roots.some(root => isInside(root, real))) throw outside();
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(real, 'r');
      const stat = await handle.stat();
      if (!stat.isFile()) {
        throw new InputError(`Unable to read ${target}: not a regular file`);
      }
      if (stat.size > this.config.maxDocumentSize) throw this.tooLarge();
      const content = await handle.readFile();
      if (content.length > this.config.maxDocumentSize) throw this.tooLarge();
      return { type: 'file', target: real, content };
    } catch (error) {
      if (isError(error) && (error.name === 'InputError' || error.name === 'PayloadTooLargeError')) throw error;
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

  private tooLarge(): PayloadTooLargeError {
    // The same message as the URL reader's (its `subject` is set to match).
    return new PayloadTooLargeError(
      `The catalog-info.yaml is larger than the limit of ${this.config.maxDocumentSize} bytes`,
    );
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
