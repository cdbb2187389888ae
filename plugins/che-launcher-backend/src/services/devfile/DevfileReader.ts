import { InputError } from '@backstage/errors';
import { BoundedUrlReader } from '@fawkes/plugin-api-guard-node';

/**
 * Reads a devfile through the shared BoundedUrlReader: configured integrations read their own
 * hosts; any other URL is fetched hop by hop, each redirect hop checked (https only, inside
 * `backend.reading.allow`, at most 5 redirects) before it is requested, the refusal naming the
 * refused hop; bounded in size and time. The text must be UTF-8.
 */
export class DevfileReader {
  constructor(private readonly reader: BoundedUrlReader) {}

  async read(url: string): Promise<string> {
    const { content } = await this.reader.read(url);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      throw new InputError('Invalid devfile: not UTF-8 text');
    }
  }
}
