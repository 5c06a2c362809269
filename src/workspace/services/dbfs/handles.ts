import { randomInt, randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DBFS_HANDLE_IDLE_MS, MAX_DBFS_HANDLES_PER_PRINCIPAL } from '../../../api/dbfs.js';
import { apiErrors, ApiError } from '../../../core/errors.js';
import type { Clock } from '../../../core/clock.js';

/** One open create/add-block/close stream: its bytes go to a staging file until close. */
export interface OpenStream {
  handle: number;
  /** Only the principal that created the handle may use it. */
  principalId: number;
  /** The raw path given to create; close resolves it again (grants may have changed meanwhile). */
  path: string;
  overwrite: boolean;
  staged: string;
  size: number;
  lastUsed: number;
}

/**
 * The streaming handles of one workspace process, bounded per principal and expiring after 10
 * minutes without use, as Databricks' do. Staging files live in `<stateDir>/dbfs-staging/<process>`,
 * outside every root a client can list; a process's directory is removed when it stops, and
 * directories idle longer than a handle can live are removed at start (a crashed process's).
 */
export class DbfsStreams {
  private readonly open = new Map<number, OpenStream>();
  readonly stagingDir: string;

  constructor(
    stateDir: string,
    private readonly clock: Clock,
    private readonly maxBytes: number,
  ) {
    const parent = join(stateDir, 'dbfs-staging');
    mkdirSync(parent, { recursive: true });
    removeStale(parent);
    this.stagingDir = join(parent, randomUUID());
    mkdirSync(this.stagingDir, { recursive: true });
  }

  create(principalId: number, path: string, overwrite: boolean): number {
    this.expire();
    const mine = [...this.open.values()].filter((s) => s.principalId === principalId).length;
    if (mine >= MAX_DBFS_HANDLES_PER_PRINCIPAL) {
      throw apiErrors.invalidState(`Too many open DBFS streams (${MAX_DBFS_HANDLES_PER_PRINCIPAL}): close some before creating more.`);
    }
    let handle = randomInt(1, 2 ** 47);
    while (this.open.has(handle)) handle = randomInt(1, 2 ** 47);
    const staged = join(this.stagingDir, String(handle));
    appendFileSync(staged, new Uint8Array());
    this.open.set(handle, { handle, principalId, path, overwrite, staged, size: 0, lastUsed: this.clock.now() });
    return handle;
  }

  append(principalId: number, handle: number, bytes: Uint8Array): void {
    const s = this.use(principalId, handle);
    if (s.size + bytes.length > this.maxBytes) {
      this.discard(s);
      throw new ApiError(413, 'INVALID_PARAMETER_VALUE', `The file is larger than the upload limit of ${this.maxBytes} bytes: ${s.path}; the stream was closed.`);
    }
    appendFileSync(s.staged, bytes);
    s.size += bytes.length;
  }

  /** Ends the stream and hands its staging file to `finish`; the handle is gone either way. */
  async close(principalId: number, handle: number, finish: (s: OpenStream) => Promise<void>): Promise<void> {
    const s = this.use(principalId, handle);
    this.open.delete(handle);
    try {
      await finish(s);
    } finally {
      rmSync(s.staged, { force: true });
    }
  }

  stop(): void {
    this.open.clear();
    rmSync(this.stagingDir, { recursive: true, force: true });
  }

  /** A handle of another principal is answered like one that does not exist: it reveals nothing. */
  private use(principalId: number, handle: number): OpenStream {
    this.expire();
    const s = this.open.get(handle);
    if (!s || s.principalId !== principalId) throw apiErrors.notFound(`The handle ${handle} does not exist or has expired.`);
    s.lastUsed = this.clock.now();
    return s;
  }

  private discard(s: OpenStream): void {
    this.open.delete(s.handle);
    rmSync(s.staged, { force: true });
  }

  private expire(): void {
    const now = this.clock.now();
    for (const s of this.open.values()) if (now - s.lastUsed > DBFS_HANDLE_IDLE_MS) this.discard(s);
  }
}

/** Staging directories of processes gone for longer than a handle lives (file times: the real clock). */
function removeStale(parent: string): void {
  const now = Date.now();
  for (const name of readdirSync(parent)) {
    const dir = join(parent, name);
    try {
      if (now - statSync(dir).mtimeMs > DBFS_HANDLE_IDLE_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // removed by its own process meanwhile
    }
  }
}
