import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, waitFor } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'brickyard-up-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('brickyard up', () => {
  it('starts, writes a profile, refuses a second up on the same state, keeps state across restarts', async () => {
    const home = join(dir, 'home');
    const env = { HOME: home };
    const first = runCli(['up', '--port', '0', '--state-dir', 'state', '--write-profile', 'local', '--json'], { cwd: dir, env });
    const info = JSON.parse(await waitFor(() => first.stdout().split('\n').find((l) => l.startsWith('{')), 60_000)) as {
      host: string;
      admin_token: string;
      ui: string;
      database: string;
    };
    expect(info.database).toBe('pglite');
    expect(info.admin_token).toMatch(/^dapi[0-9a-f]{32}$/);
    expect(info.ui).toBe(`${info.host}/`);

    const cfg = readFileSync(join(home, '.databrickscfg'), 'utf8');
    expect(cfg).toContain('[local]');
    expect(cfg).toContain(`host = ${info.host}`);
    expect(cfg).toContain(`token = ${info.admin_token}`);
    expect(statSync(join(home, '.databrickscfg')).mode & 0o777).toBe(0o600);
    // the token is never logged
    expect(first.stderr()).not.toContain(info.admin_token);

    const me = await fetch(`${info.host}/.well-known/databricks-config`);
    expect(me.status).toBe(200);

    const second = runCli(['up', '--port', '0', '--state-dir', 'state'], { cwd: dir, env });
    expect(await second.code).toBe(5);
    expect(second.stderr()).toMatch(/BY_STATE_LOCKED.*in use by another brickyard up/);

    first.interrupt();
    expect(await first.code).toBe(0);

    // restart: same state, the old token still works, no new admin token is printed
    const again = runCli(['up', '--port', '0', '--state-dir', 'state', '--json'], { cwd: dir, env });
    const info2 = JSON.parse(await waitFor(() => again.stdout().split('\n').find((l) => l.startsWith('{')), 60_000)) as {
      host: string;
      admin_token?: string;
    };
    expect(info2.admin_token).toBeUndefined();
    const r = await fetch(`${info2.host}/api/2.0/no-such-api`, { headers: { authorization: `Bearer ${info.admin_token}` } });
    expect(r.status).toBe(404);
    again.interrupt();
    expect(await again.code).toBe(0);
  });

  it('rejects a bad port with a usage error', async () => {
    const r = runCli(['up', '--port', 'abc'], { cwd: dir });
    expect(await r.code).toBe(2);
    expect(r.stderr()).toContain('--port must be a number');
  });
});
