import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The socket's file name inside its directory (the directory is what the sandbox binds in). */
export const API_SOCKET_NAME = 'api.sock';

/** Unix socket paths are limited to 107 bytes: a long TMPDIR falls back to /tmp. */
const MAX_SOCKET_DIR = 80;

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
  const base = tmpdir().length <= MAX_SOCKET_DIR - 20 ? tmpdir() : '/tmp';
  const dir = mkdtempSync(join(base, 'brickyard-api-'));
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
