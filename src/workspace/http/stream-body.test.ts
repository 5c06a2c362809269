import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { streamToFile } from './stream-body.js';

const dir = mkdtempSync(join(tmpdir(), 'brickyard-stream-body-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `total` bytes of a repeating pattern, in chunks of the sizes given in turn (as a socket hands them over). */
async function* chunks(total: number, sizes: number[]): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for (let i = 0; sent < total; i++) {
    const size = Math.min(sizes[i % sizes.length]!, total - sent);
    const chunk = new Uint8Array(size);
    for (let k = 0; k < size; k++) chunk[k] = (sent + k) % 251;
    sent += size;
    yield chunk;
  }
}

/** True when `bytes` is the pattern's first bytes (compared as buffers: a deep equal of MiBs is slow). */
function isPatternPrefix(bytes: Buffer): boolean {
  const pattern = Buffer.alloc(bytes.length);
  for (let k = 0; k < bytes.length; k++) pattern[k] = k % 251;
  return pattern.equals(bytes);
}

describe('streamToFile', () => {
  it('writes every byte in order across the MiB batches, whatever the chunk sizes', async () => {
    const total = 3 * (1 << 20) + 12_345;
    const path = join(dir, 'batched');
    const written = await streamToFile(chunks(total, [65_536, 1, 700_001, 4096]), path, { limit: total, tooLarge: () => new Error('too large'), flags: 'w' });
    expect(written).toBe(total);
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(total);
    expect(isPatternPrefix(bytes)).toBe(true);
    // owner-only: an upload may be anyone's private data
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses a body past the limit with the caller\'s error, once the write in flight has settled', async () => {
    const path = join(dir, 'over');
    const limit = 2 * (1 << 20);
    await expect(streamToFile(chunks(limit + 1, [65_536]), path, { limit, tooLarge: () => new Error('over the limit'), flags: 'w' })).rejects.toThrow('over the limit');
    // the file was closed after its last write: what is there is a prefix of the body, and it can be removed
    expect(isPatternPrefix(readFileSync(path))).toBe(true);
    rmSync(path);
  });

  it('takes an empty body, and with wx refuses a file that exists', async () => {
    const empty = join(dir, 'empty');
    expect(await streamToFile([], empty, { limit: 10, tooLarge: () => new Error('x'), flags: 'w' })).toBe(0);
    expect(statSync(empty).size).toBe(0);
    const taken = join(dir, 'taken');
    writeFileSync(taken, 'keep me');
    await expect(streamToFile(chunks(10, [10]), taken, { limit: 10, tooLarge: () => new Error('x'), flags: 'wx' })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(taken, 'utf8')).toBe('keep me');
  });

  it('frees the chunks it has written as it goes: a large body never piles up in memory', async () => {
    const MiB = 1 << 20;
    const total = 48 * MiB;
    let grewBy = 0;
    async function* body(): AsyncGenerator<Uint8Array> {
      const start = process.memoryUsage().arrayBuffers;
      for (let sent = 0; sent < total; sent += 65_536) yield Buffer.alloc(65_536, sent % 251);
      grewBy = process.memoryUsage().arrayBuffers - start;
    }
    const path = join(dir, 'large');
    expect(await streamToFile(body(), path, { limit: total, tooLarge: () => new Error('x'), flags: 'w' })).toBe(total);
    // what is still held is the last few MiB (without the scavenges, 17 MB of written chunks were)
    expect(grewBy).toBeLessThan(10 * MiB);
    expect(statSync(path).size).toBe(total);
    rmSync(path);
  });
});
