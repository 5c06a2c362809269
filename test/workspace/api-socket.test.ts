/**
 * Socket directories a crashed server left behind are removed when a server starts: only those
 * named with a pid that no longer runs; a running server's, a legacy name and other files stay.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listenOnApiSocket, pidAlive, removeStaleSocketDirs } from '../../src/workspace/api-socket.js';

const base = mkdtempSync(join(tmpdir(), 'brickyard-socket-base-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('stale notebook socket directories', () => {
  it('pidAlive tells a running process from one that exited', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(deadPid())).toBe(false);
  });

  it('removes only the directories of pids that are gone', () => {
    const dead = deadPid();
    const make = (name: string) => {
      mkdirSync(join(base, name));
      writeFileSync(join(base, name, 'api.sock'), '');
      return name;
    };
    const stale = make(`brickyard-api-${dead}-a1B2c3`);
    const running = make(`brickyard-api-${process.ppid}-d4E5f6`);
    const mine = make(`brickyard-api-${process.pid}-g7H8i9`);
    const legacy = make('brickyard-api-Zz9Yy8');
    const other = make(`other-${dead}-a1B2c3`);
    writeFileSync(join(base, `brickyard-api-${dead}-fileXX`), 'not a directory');
    expect(removeStaleSocketDirs(base).map((d) => basename(d))).toEqual([stale]);
    expect(readdirSync(base).sort()).toEqual([`brickyard-api-${dead}-fileXX`, legacy, mine, other, running].sort());
    // whatever the liveness check says, the server's own directory stays
    expect(removeStaleSocketDirs(base, () => false).map((d) => basename(d)).sort()).toEqual([running].sort());
    expect(existsSync(join(base, mine))).toBe(true);
  });

  it('a server names its socket directory with its pid', async () => {
    const socket = await listenOnApiSocket(() => undefined);
    try {
      expect(basename(socket.dir)).toMatch(new RegExp(`^brickyard-api-${process.pid}-[A-Za-z0-9]{6}$`));
      expect(readdirSync(socket.dir)).toEqual(['api.sock']);
    } finally {
      await socket.close();
    }
    expect(existsSync(socket.dir)).toBe(false);
  });
});
