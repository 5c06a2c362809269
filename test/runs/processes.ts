/** Workspaces in processes of their own, for the crash and multi-process tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ApiTarget } from './helpers.js';

/** Whether a process is still there (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** API calls against `url` with `token`, the way TestWorkspace.api makes them. */
export function targetOf(url: string, token: string): ApiTarget {
  return {
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      let body = init.body;
      if (init.json !== undefined) {
        body = JSON.stringify(init.json);
        headers.set('content-type', 'application/json');
      }
      return fetch(url + path, { ...init, headers, body: body ?? null });
    },
  };
}

/** Starts fixtures/serve-workspace.ts with `args` (state dir, then an optional database URL) and waits for its {url, token} line. */
export async function spawnServeWorkspace(args: string[]): Promise<{ child: ChildProcess; target: ApiTarget }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'serve-workspace.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const info = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { url: string; token: string });
    });
    child.once('exit', (code) => reject(new Error(`the workspace process exited with ${code} before serving: ${err}`)));
  });
  return { child, target: targetOf(info.url, info.token) };
}
