import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UpOutput } from '../../src/api/cli-up-output.js';
import { runCli, waitFor } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'brickyard-up-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('brickyard up', () => {
  it('starts, writes a profile, refuses a second up on the same state, keeps state across restarts', async () => {
    const home = join(dir, 'home');
    const env = { HOME: home };
    // first start, as a person runs it: text output
    const first = runCli(['up', '--port', '0', '--state-dir', 'state', '--write-profile', 'local'], { cwd: dir, env });
    const banner = await waitFor(() => (first.stdout().includes('Press Ctrl-C') ? first.stdout() : undefined), 60_000);
    const host = /host:\s+(\S+)/.exec(banner)?.[1] ?? '';
    const token = /admin token:\s+(dapi[0-9a-f]{32})\s/.exec(banner)?.[1] ?? '';
    expect(host).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(token).toMatch(/^dapi[0-9a-f]{32}$/);
    expect(banner).toContain(`UI:          ${host}/`);
    expect(banner).toContain('embedded PGlite');
    expect(banner).toContain('(shown once; it is stored hashed)');

    const cfg = readFileSync(join(home, '.databrickscfg'), 'utf8');
    expect(cfg).toContain('[local]');
    expect(cfg).toContain(`host = ${host}`);
    expect(cfg).toContain(`token = ${token}`);
    expect(statSync(join(home, '.databrickscfg')).mode & 0o777).toBe(0o600);

    const config = await fetch(`${host}/.well-known/databricks-config`);
    expect(config.status).toBe(200);
    const me = await fetch(`${host}/api/2.0/preview/scim/v2/Me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    const kept = await fetch(`${host}/api/2.0/workspace/mkdirs`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ path: '/Shared/kept' }) });
    expect(await kept.json()).toEqual({});

    const second = runCli(['up', '--port', '0', '--state-dir', 'state'], { cwd: dir, env });
    expect(await second.code).toBe(5);
    expect(second.stderr()).toMatch(/BY_STATE_LOCKED.*in use by another brickyard up/);

    first.interrupt();
    expect(await first.code).toBe(0);
    // the token is printed once, by up itself, and never logged
    expect(first.stdout().split(token)).toHaveLength(2);
    expect(first.stderr()).not.toContain(token);
    expect(second.stdout() + second.stderr()).not.toContain(token);

    // restart: same state, the old token still works, no admin token is printed; a new profile gets a
    // freshly minted token that is written to the profile only
    const again = runCli(['up', '--port', '0', '--state-dir', 'state', '--write-profile', 'again', '--json'], { cwd: dir, env });
    const info2 = UpOutput.parse(JSON.parse(await waitFor(() => again.stdout().split('\n').find((l) => l.startsWith('{')), 60_000)));
    expect(info2.admin_token).toBeUndefined();
    expect(info2.profile).toBe('again');
    const r = await fetch(`${info2.host}/api/2.0/no-such-api`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(404);
    const keptAgain = await fetch(`${info2.host}/api/2.0/workspace/get-status?path=/Shared/kept`, { headers: { authorization: `Bearer ${token}` } });
    expect(await keptAgain.json()).toMatchObject({ object_type: 'DIRECTORY', path: '/Shared/kept' });
    const profileToken = /\[again\][^[]*token = (dapi[0-9a-f]{32})/.exec(readFileSync(join(home, '.databrickscfg'), 'utf8'))?.[1] ?? '';
    expect(profileToken).toMatch(/^dapi[0-9a-f]{32}$/);
    expect(profileToken).not.toBe(token);
    const meAgain = await fetch(`${info2.host}/api/2.0/preview/scim/v2/Me`, { headers: { authorization: `Bearer ${profileToken}` } });
    expect(meAgain.status).toBe(200);
    again.interrupt();
    expect(await again.code).toBe(0);
    for (const output of [again.stdout(), again.stderr()]) {
      expect(output).not.toContain(profileToken);
      expect(output).not.toContain(token);
    }
  });

  it('refuses a bad profile name before starting anything', async () => {
    const r = runCli(['up', '--port', '0', '--state-dir', 'bad-profile-state', '--write-profile', 'a b'], { cwd: dir, env: { HOME: join(dir, 'home2') } });
    expect(await r.code).toBe(2);
    expect(r.stderr()).toBe(`error BY_USAGE: invalid profile name "a b" for --write-profile\n  hint: use letters, digits, '.', '_' or '-'\n`);
    expect(() => statSync(join(dir, 'bad-profile-state'))).toThrow();
  });

  it('rejects a bad port with a usage error', async () => {
    const r = runCli(['up', '--port', 'abc'], { cwd: dir });
    expect(await r.code).toBe(2);
    expect(r.stderr()).toBe('error BY_USAGE: --port (or BRICKYARD_PORT) must be a whole number from 0 to 65535, got "abc"\n  hint: --port: port to listen on; 0 picks a free one (default 8787)\n');
  });
});
