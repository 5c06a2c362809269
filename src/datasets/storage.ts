import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomHex } from '../core/hash.js';

/**
 * Where datasets live on disk: `<state dir>/datasets/<id>.parquet`, uploads in flight under
 * `<state dir>/datasets/tmp/`. The Parquet copy is the dataset: a sync only reads it.
 */

export function datasetsDir(stateDir: string): string {
  return join(stateDir, 'datasets');
}

export function uploadsDir(stateDir: string): string {
  const dir = join(datasetsDir(stateDir), 'tmp');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function parquetFileName(id: string): string {
  return `${id}.parquet`;
}

export function parquetPath(stateDir: string, fileName: string): string {
  return join(datasetsDir(stateDir), fileName);
}

/** A stored file name: `<uuid>.parquet`, nothing else (no separator, no dot segment, no NUL, no encoding). */
const FILE_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.parquet$/;

export type FileNameCheck = 'ok' | 'traversal' | 'unknown';

/**
 * How the internal endpoint treats a requested name: anything with a separator, a dot segment, a
 * percent sign, a backslash or a control character is a traversal attempt (400); a harmless name
 * of another shape cannot be a dataset (404).
 */
export function checkFileName(name: string): FileNameCheck {
  if (FILE_NAME.test(name)) return 'ok';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (name === '' || name.includes('..') || /[/\\%\u0000-\u001f\u007f]/.test(name) || name === '.') return 'traversal';
  return 'unknown';
}

/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export function fileSize(path: string): number {
  return statSync(path).size;
}

/** Environment variable holding the internal key; without it one is generated into the state directory. */
export const INTERNAL_KEY_ENV = 'BRICKYARD_INTERNAL_API_KEY';
const INTERNAL_KEY_FILE = 'internal-api-key';

/**
 * The key of `/internal/storage/datasets/*`: `configured` (BRICKYARD_INTERNAL_API_KEY), else the one
 * kept in the state directory, generated on first start with mode 0600. It is not a user token:
 * it opens the internal file endpoint and nothing else.
 */
export function internalApiKey(stateDir: string, configured: string | undefined): string {
  if (configured !== undefined && configured !== '') return configured;
  const path = join(stateDir, INTERNAL_KEY_FILE);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(stateDir, { recursive: true });
  const key = `byik_${randomHex(32)}`;
  // 'wx': two processes starting at once never overwrite each other's key
  try {
    writeFileSync(path, key + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readFileSync(path, 'utf8').trim();
  }
  return key;
}

/** Constant-time comparison of an `Authorization` header with `Bearer <key>`. */
export function bearerMatches(header: string | undefined, key: string): boolean {
  if (header === undefined) return false;
  const sent = Buffer.from(header);
  const expected = Buffer.from(`Bearer ${key}`);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
