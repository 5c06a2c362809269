import { createServer, type Server } from 'node:http';
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The socket's file name inside its directory (the directory is what the sandbox binds in). */
export const API_SOCKET_NAME = 'api.sock';

/** Unix socket paths are limited to 107 bytes: a long TMPDIR falls back to /tmp. */
const MAX_SOCKET_DIR = 80;

/** `brickyard-api-<pid>-XXXXXX`: the pid of the server that made it, so a later start can tell a crashed one's. */
const DIR_PREFIX = 'brickyard-api-';
const OWNED_DIR = /^brickyard-api-(\d+)-[A-Za-z0-9]{6}$/;

/** Whether a process with this pid exists (EPERM: it does, as another user's). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the socket directories that servers which crashed (or were killed) left in `base`:
 * only directories named with a pid that no longer runs, owned by this user. Answers what it removed.
 */
export function removeStaleSocketDirs(base: string, alive: (pid: number) => boolean = pidAlive): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = OWNED_DIR.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    const dir = join(base, name);
    try {
      const st = lstatSync(dir);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}

function socketBase(): string {
  return tmpdir().length <= MAX_SOCKET_DIR - 20 ? tmpdir() : '/tmp';
}

export interface ApiSocket {
  /** A private (0700) directory holding only API_SOCKET_NAME. */
  dir: string;
  /** Requests are handled by whoever adds a 'request' listener (the same one as the TCP server's). */
  server: Server;
  close(): Promise<void>;
}

/**
 * Serves the same app on a Unix socket too: sandboxed notebook code has its own network namespace
 * and reaches the API only through this socket (forwarded from 127.0.0.1 inside by the runner).
 */
export async function listenOnApiSocket(configure: (server: Server) => void): Promise<ApiSocket> {
  const base = socketBase();
  removeStaleSocketDirs(base);
  const dir = mkdtempSync(join(base, `${DIR_PREFIX}${process.pid}-`));
  const server = createServer();
  configure(server);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(join(dir, API_SOCKET_NAME), () => resolve());
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    server,
    async close() {
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
