/**
 * `brickyard up` answers every request it accepts: a client hammers the port with plain HTTP from
 * the first millisecond of start-up; a refused connection is retried, and every connection that was
 * accepted must get an HTTP answer (none left hanging, as a CI `curl` health poll would be).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/reference.js';

const dir = mkdtempSync(join(tmpdir(), 'brickyard-up-early-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

type Attempt = { accepted: boolean; status?: number; error?: string };

/** One GET on a fresh connection: refused (not accepted), answered, or accepted and then failed. */
function attempt(port: number): Promise<Attempt> {
  return new Promise((resolve) => {
    let accepted = false;
    const req = http.get({ host: '127.0.0.1', port, path: '/api/2.0/clusters/list', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ accepted: true, status: res.statusCode ?? 0 }));
    });
    req.on('socket', (s) => s.on('connect', () => (accepted = true)));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ accepted, error: err.code ?? err.message }));
  });
}

describe('up during start-up', () => {
  it('every accepted request is answered', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/brickyard.mjs'), 'up', '--port', String(port), '--state-dir', join(dir, 'state')], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
      stdio: 'ignore',
    });
    try {
      const accepted: Attempt[] = [];
      // a few clients in parallel, each retrying refused connections at once, until one is answered
      const client = async (): Promise<void> => {
        for (;;) {
          const a = await attempt(port);
          if (a.accepted) accepted.push(a);
          if (a.status !== undefined) return;
          if (child.exitCode !== null) throw new Error(`up exited with ${child.exitCode} before answering`);
          await new Promise((r) => setImmediate(r));
        }
      };
      await Promise.all([client(), client(), client(), client()]);
      expect(accepted.length).toBeGreaterThanOrEqual(4);
      expect(accepted.filter((a) => a.status === undefined)).toEqual([]);
      expect(new Set(accepted.map((a) => a.status))).toEqual(new Set([401]));
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 180_000);
});
