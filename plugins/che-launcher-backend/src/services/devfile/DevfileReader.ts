import { UrlReaderService, UrlReaderServiceReadUrlResponse } from '@backstage/backend-plugin-api';
import { InputError, isError } from '@backstage/errors';
import {
  BadGatewayError,
  GatewayTimeoutError,
  PayloadTooLargeError,
} from '@fawkes/plugin-api-guard-node';
import { Readable } from 'node:stream';

/**
 * Reads a devfile through Backstage's UrlReader, so `backend.reading.allow` and the configured
 * integrations decide which hosts are reachable; bounded in size and time.
 */
export class DevfileReader {
  constructor(
    private readonly urlReader: UrlReaderService,
    private readonly options: { maxSize: number; timeoutMs: number },
  ) {}

  async read(url: string): Promise<string> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new GatewayTimeoutError(
            `Reading the devfile timed out after ${this.options.timeoutMs / 1000}s`,
          ),
        );
      }, this.options.timeoutMs);
    });
    try {
      const bytes = await Promise.race([this.fetchBytes(url, controller.signal), timeout]);
      return decodeUtf8(bytes);
    } finally {
      clearTimeout(timer);
    }
  }

  private async fetchBytes(url: string, signal: AbortSignal): Promise<Buffer> {
    let response: UrlReaderServiceReadUrlResponse;
    try {
      response = await this.urlReader.readUrl(url, { signal });
    } catch (error) {
      if (signal.aborted) throw error; // the timeout already answered
      throw toReadError(error, url);
    }
    if (response.stream) {
      return readCapped(response.stream(), this.options.maxSize);
    }
    const buffer = await response.buffer();
    if (buffer.length > this.options.maxSize) {
      throw tooLarge(this.options.maxSize);
    }
    return buffer;
  }
}

function tooLarge(maxSize: number) {
  return new PayloadTooLargeError(`Devfile is larger than the allowed ${maxSize} bytes`);
}

async function readCapped(stream: Readable, maxSize: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buffer.length;
      if (size > maxSize) {
        throw tooLarge(maxSize);
      }
      chunks.push(buffer);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('Invalid devfile: not UTF-8 text');
  }
}

function toReadError(error: unknown, url: string): Error {
  const host = safeHost(url);
  const name = isError(error) ? error.name : '';
  const message = isError(error) ? error.message : '';
  if (name === 'NotAllowedError' || message.startsWith('URL not allowed by backend.reading.allow')) {
    // The second form is FetchUrlReader refusing a redirect target.
    return new InputError(
      `Invalid devfileUrl: reading from host '${host}' is not allowed (backend.reading.allow)`,
    );
  }
  if (name === 'NotFoundError') {
    return new InputError('Invalid devfileUrl: no devfile found at that URL (404)');
  }
  if (name === 'NotModifiedError') {
    return new BadGatewayError('Could not read the devfile: unexpected 304 answer');
  }
  return new BadGatewayError(`Could not read the devfile from host '${host}'`);
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'unknown';
  }
}
