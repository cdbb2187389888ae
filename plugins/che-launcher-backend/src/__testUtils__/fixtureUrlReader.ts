import { createServiceFactory } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ReadUrlResponseFactory,
  urlReaderFactoriesServiceRef,
} from '@backstage/backend-defaults/urlReader';
import { Readable } from 'node:stream';

/** The test host whose https URLs the fixture reader serves. */
export const FIXTURE_HOST = 'devfiles.example.test';

export type FixtureFile =
  | { body: string | Buffer; delayMs?: number }
  | { status: 404 | 500 };

/**
 * A URL reader for tests, plugged into the real UrlReader service (the real predicate mux and
 * FetchUrlReader stay in place for every other host, so `backend.reading.allow` still decides
 * about them). It answers `https://devfiles.example.test/<path>` from `files`, the way a remote
 * host would: a streamed body, NotFoundError for 404, a plain Error for server errors, and it
 * honours the abort signal while delaying.
 */
export function fixtureUrlReaderFactory(files: Record<string, FixtureFile>) {
  return createServiceFactory({
    service: urlReaderFactoriesServiceRef,
    deps: {},
    async factory() {
      return () => [
        {
          predicate: (url: URL) => url.protocol === 'https:' && url.hostname === FIXTURE_HOST,
          reader: {
            async readUrl(url: string, options?: { signal?: AbortSignal }) {
              const file = files[new URL(url).pathname];
              if (!file || ('status' in file && file.status === 404)) {
                throw new NotFoundError(`could not read ${url}, 404 Not Found`);
              }
              if ('status' in file) {
                throw new Error(`could not read ${url}, ${file.status} Internal Server Error`);
              }
              if (file.delayMs) {
                await new Promise<void>((resolve, reject) => {
                  const timer = setTimeout(resolve, file.delayMs);
                  options?.signal?.addEventListener('abort', () => {
                    clearTimeout(timer);
                    reject(new Error('aborted'));
                  });
                });
              }
              const buffer = Buffer.isBuffer(file.body) ? file.body : Buffer.from(file.body);
              // Streamed in 16 KiB chunks, like a network body.
              const chunks: Buffer[] = [];
              for (let i = 0; i < buffer.length; i += 16 * 1024) {
                chunks.push(buffer.subarray(i, i + 16 * 1024));
              }
              return ReadUrlResponseFactory.fromReadable(Readable.from(chunks));
            },
            async readTree(): Promise<never> {
              throw new Error('not supported');
            },
            async search(): Promise<never> {
              throw new Error('not supported');
            },
          },
        },
      ];
    },
  });
}
