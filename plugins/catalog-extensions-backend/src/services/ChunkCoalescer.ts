import { Transform, TransformCallback } from 'node:stream';

/** Flushed at once above this size. */
const MAX_BUFFERED = 64 * 1024;

/**
 * Joins the small chunks that arrive together into one write. The core catalog writes its
 * answer entity by entity, and one socket read of it yields hundreds of tiny chunks; written
 * one by one they cost a chunk frame and a socket write each, the largest part of a
 * pass-through's own CPU. Chunks are passed on unchanged and in order, at the latest in the next
 * turn of the event loop, so streaming and back-pressure stay as they were.
 */
export class ChunkCoalescer extends Transform {
  private chunks: Buffer[] = [];
  private size = 0;
  private scheduled?: NodeJS.Immediate;

  _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size >= MAX_BUFFERED) {
      this.flushChunks();
    } else if (!this.scheduled) {
      this.scheduled = setImmediate(() => this.flushChunks());
    }
    callback();
  }

  _flush(callback: TransformCallback): void {
    this.flushChunks();
    callback();
  }

  _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    callback(error);
  }

  private flushChunks(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (!this.size) return;
    const joined = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    this.push(joined);
  }
}
