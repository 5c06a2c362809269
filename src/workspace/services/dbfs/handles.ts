import { randomInt } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { and, count, eq, lt, sql } from 'drizzle-orm';
import { DBFS_HANDLE_IDLE_MS, MAX_DBFS_HANDLES_PER_PRINCIPAL } from '../../../api/dbfs.js';
import { apiErrors, ApiError } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { dbfsStreams } from './tables.js';

/** One open create/add-block/close stream: its bytes go to a staging file until close. */
export interface OpenStream {
  handle: number;
  principalId: number;
  path: string;
  overwrite: boolean;
  staged: string;
  size: number;
}

/**
 * The workspace's streaming handles, kept in the database so every process sharing it serves
 * them; bounded per principal and expiring after 10 minutes without use, as Databricks' do.
 * Staging files live in `<stateDir>/dbfs-staging`, outside every root a client can list.
 */
export class DbfsStreams {
  readonly stagingDir: string;

  constructor(
    private readonly ctx: WorkspaceContext,
    private readonly maxBytes: number,
  ) {
    this.stagingDir = join(ctx.config.stateDir, 'dbfs-staging');
    mkdirSync(this.stagingDir, { recursive: true });
  }

  private get db() {
    return this.ctx.database.db;
  }

  private staged(handle: number): string {
    return join(this.stagingDir, String(handle));
  }

  async create(principalId: number, path: string, overwrite: boolean): Promise<number> {
    await this.expire();
    const [open] = await this.db.select({ n: count() }).from(dbfsStreams).where(eq(dbfsStreams.principalId, principalId));
    if ((open?.n ?? 0) >= MAX_DBFS_HANDLES_PER_PRINCIPAL) {
      throw apiErrors.invalidState(`Too many open DBFS streams (${MAX_DBFS_HANDLES_PER_PRINCIPAL}): close some before creating more.`);
    }
    for (;;) {
      const handle = randomInt(1, 2 ** 47);
      const inserted = await this.db
        .insert(dbfsStreams)
        .values({ handle, principalId, path, overwrite, size: 0, lastUsed: this.ctx.clock.now() })
        .onConflictDoNothing()
        .returning({ handle: dbfsStreams.handle });
      if (inserted.length === 0) continue;
      appendFileSync(this.staged(handle), new Uint8Array());
      return handle;
    }
  }

  async append(principalId: number, handle: number, bytes: Uint8Array): Promise<void> {
    await this.expire();
    // the size check and the bump are one statement, so concurrent blocks cannot pass the limit together
    const [row] = await this.db
      .update(dbfsStreams)
      .set({ size: sql`${dbfsStreams.size} + ${bytes.length}`, lastUsed: this.ctx.clock.now() })
      .where(and(eq(dbfsStreams.handle, handle), eq(dbfsStreams.principalId, principalId), sql`${dbfsStreams.size} + ${bytes.length} <= ${this.maxBytes}`))
      .returning({ path: dbfsStreams.path });
    if (!row) {
      const s = await this.use(principalId, handle);
      await this.discard(handle);
      throw new ApiError(413, 'INVALID_PARAMETER_VALUE', `The file is larger than the upload limit of ${this.maxBytes} bytes: ${s.path}; the stream was closed.`);
    }
    appendFileSync(this.staged(handle), bytes);
  }

  /** Ends the stream and hands its staging file to `finish`; the handle is gone either way. */
  async close(principalId: number, handle: number, finish: (s: OpenStream) => Promise<void>): Promise<void> {
    await this.expire();
    const [row] = await this.db.delete(dbfsStreams).where(and(eq(dbfsStreams.handle, handle), eq(dbfsStreams.principalId, principalId))).returning();
    if (!row) throw notFound(handle);
    const s: OpenStream = { handle, principalId, path: row.path, overwrite: row.overwrite, size: row.size, staged: this.staged(handle) };
    try {
      await finish(s);
    } finally {
      rmSync(s.staged, { force: true });
    }
  }

  /** Staging files without a handle, older than a handle lives: left by a crashed process. */
  async removeOrphans(): Promise<void> {
    const live = new Set((await this.db.select({ handle: dbfsStreams.handle }).from(dbfsStreams)).map((r) => String(r.handle)));
    const now = Date.now();
    for (const name of readdirSync(this.stagingDir)) {
      const file = join(this.stagingDir, name);
      try {
        if (!live.has(name) && now - statSync(file).mtimeMs > DBFS_HANDLE_IDLE_MS) rmSync(file, { recursive: true, force: true });
      } catch {
        // removed meanwhile
      }
    }
  }

  /** A handle of another principal is answered like one that does not exist: it reveals nothing. */
  private async use(principalId: number, handle: number): Promise<{ path: string }> {
    const [row] = await this.db
      .update(dbfsStreams)
      .set({ lastUsed: this.ctx.clock.now() })
      .where(and(eq(dbfsStreams.handle, handle), eq(dbfsStreams.principalId, principalId)))
      .returning({ path: dbfsStreams.path });
    if (!row) throw notFound(handle);
    return row;
  }

  private async discard(handle: number): Promise<void> {
    await this.db.delete(dbfsStreams).where(eq(dbfsStreams.handle, handle));
    rmSync(this.staged(handle), { force: true });
  }

  private async expire(): Promise<void> {
    const gone = await this.db.delete(dbfsStreams).where(lt(dbfsStreams.lastUsed, this.ctx.clock.now() - DBFS_HANDLE_IDLE_MS)).returning({ handle: dbfsStreams.handle });
    for (const g of gone) rmSync(this.staged(g.handle), { force: true });
  }
}

function notFound(handle: number): ApiError {
  return apiErrors.notFound(`The handle ${handle} does not exist or has expired.`);
}
