import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ChunkCoalescer } from './ChunkCoalescer';

function collector() {
  const writes: Buffer[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      writes.push(chunk);
      callback();
    },
  });
  return { writes, sink };
}

describe('ChunkCoalescer', () => {
  it('joins the chunks that arrive together into one write, bytes and order unchanged', async () => {
    const parts = Array.from({ length: 200 }, (_, i) => Buffer.from(`${i === 0 ? '[' : ','}{"n":${i}}`));
    const { writes, sink } = collector();
    await pipeline(Readable.from(parts), new ChunkCoalescer(), sink);
    expect(Buffer.concat(writes).toString()).toBe(Buffer.concat(parts).toString());
    expect(writes.length).toBeLessThan(10);
  });

  it('still streams: what arrives is passed on in the next turn, without waiting for the end', async () => {
    const source = new PassThrough();
    const { writes, sink } = collector();
    const done = pipeline(source, new ChunkCoalescer(), sink);
    source.write('[1');
    source.write(',2');
    await new Promise(resolve => setImmediate(resolve));
    await new Promise(resolve => setImmediate(resolve));
    expect(Buffer.concat(writes).toString()).toBe('[1,2');
    source.end(']');
    await done;
    expect(Buffer.concat(writes).toString()).toBe('[1,2]');
  });

  it('flushes at once above 64 KiB', async () => {
    const source = new PassThrough();
    const { writes, sink } = collector();
    const done = pipeline(source, new ChunkCoalescer(), sink);
    source.write(Buffer.alloc(40 * 1024, 'a'));
    source.write(Buffer.alloc(40 * 1024, 'b'));
    await new Promise(resolve => process.nextTick(resolve));
    expect(writes.map(w => w.length)).toEqual([80 * 1024]);
    source.end();
    await done;
  });

  it('passes an upstream failure on (the caller\'s connection is then cut)', async () => {
    const source = new PassThrough();
    const { sink } = collector();
    const done = pipeline(source, new ChunkCoalescer(), sink);
    source.write('[1');
    source.destroy(new Error('catalog connection reset'));
    await expect(done).rejects.toThrow('catalog connection reset');
  });
});
