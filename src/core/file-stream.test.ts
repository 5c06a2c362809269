import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileReadableStream } from './file-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'file-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function chunksOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return chunks;
}

describe('fileReadableStream', () => {
  it('gives every byte in order, a chunk per read, and tells the bytes read so far', async () => {
    const path = join(dir, 'data.bin');
    const bytes = Buffer.from(Array.from({ length: 2500 }, (_, i) => i % 251));
    writeFileSync(path, bytes);
    const told: number[] = [];
    const chunks = await chunksOf(fileReadableStream(path, { chunkBytes: 1000, onRead: (n) => told.push(n) }));
    expect(chunks.map((c) => c.length)).toEqual([1000, 1000, 500]);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(told).toEqual([1000, 2000, 2500]);
  });

  it('ends at once for an empty file', async () => {
    const path = join(dir, 'empty.bin');
    writeFileSync(path, '');
    expect(await chunksOf(fileReadableStream(path))).toEqual([]);
  });

  it('fails with the open error for a file that is not there', async () => {
    await expect(chunksOf(fileReadableStream(join(dir, 'missing.bin')))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails with the read error for a directory', async () => {
    await expect(chunksOf(fileReadableStream(dir))).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
