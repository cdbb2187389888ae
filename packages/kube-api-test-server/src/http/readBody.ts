import { IncomingMessage } from 'node:http';
import { KubeStatusError } from '../status';

/** The API server's request body limit (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(new KubeStatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
