import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireStateLock } from './state-lock.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Another process holding the state lock (what a second terminal's `brickyard up` is). */
async function holdInChild(stateDir: string): Promise<ChildProcess> {
  const script = `import { acquireStateLock } from ${JSON.stringify(new URL('./state-lock.ts', import.meta.url).pathname)};
acquireStateLock(process.argv[1]).setUrl('http://127.0.0.1:1234'); console.log('held'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, stateDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  expect(chunk.toString()).toContain('held');
  return child;
}

describe('state lock across processes', () => {
  it('refuses while another live process holds it, naming its pid and url; takes over after kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'by-lock-'));
    const child = await holdInChild(dir);
    expect(JSON.parse(readFileSync(join(dir, 'brickyard.lock'), 'utf8'))).toMatchObject({ pid: child.pid, url: 'http://127.0.0.1:1234' });
    expect(() => acquireStateLock(dir)).toThrow(`in use by another brickyard up (pid ${child.pid}, serving http://127.0.0.1:1234)`);

    child.kill('SIGKILL');
    await once(child, 'exit');
    const lock = acquireStateLock(dir);
    expect(JSON.parse(readFileSync(join(dir, 'brickyard.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    // released: a new holder gets it at once
    acquireStateLock(dir).release();
  });
});
