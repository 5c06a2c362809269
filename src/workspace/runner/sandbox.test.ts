import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { notebookIsolation } from './isolation.js';
import { childEnv } from './process.js';
import { hostPrivateDirs, resetSandboxProbe, sandboxArgs, sandboxedCommand, sandboxStatus } from './sandbox.js';

const SERVER_ENV = ['PGPASSWORD', 'DATABASE_URL', 'SOME_API_KEY', 'DATABRICKS_TOKEN', 'DATABRICKS_CONFIG_FILE', 'DATABRICKS_CLIENT_SECRET', 'BRICKYARD_SMTP_URL', 'BRICKYARD_ADMIN_USER', 'AWS_SECRET_ACCESS_KEY', 'PGHOST'];
const savedHome = process.env['HOME'];

afterEach(() => {
  delete process.env['BRICKYARD_BWRAP'];
  for (const k of SERVER_ENV) delete process.env[k];
  if (savedHome === undefined) delete process.env['HOME'];
  else process.env['HOME'] = savedHome;
  resetSandboxProbe();
});

describe('notebook sandbox probe', () => {
  it('says why notebook code is not isolated when bwrap is missing, and then runs the command as it is', () => {
    process.env['BRICKYARD_BWRAP'] = '/nonexistent/bwrap';
    resetSandboxProbe();
    expect(sandboxStatus()).toEqual({ isolated: false, reason: '/nonexistent/bwrap (bubblewrap) is not installed' });
    expect(sandboxedCommand('python3', ['x'], { stateDir: '/tmp/whatever', visible: [] })).toEqual({ command: 'python3', args: ['x'], sandboxed: false, privateNetwork: false });
  });
});

describe('childEnv', () => {
  it('keeps server settings and secrets out of user code and adds the run token back', () => {
    for (const k of SERVER_ENV) process.env[k] = `server-${k}`;
    const env = childEnv({ DATABRICKS_TOKEN: 'run-token', DATABRICKS_HOST: 'http://127.0.0.1:1' });
    for (const k of SERVER_ENV) expect(env[k] ?? `run:${k}`, k).not.toBe(`server-${k}`);
    expect(Object.values(env).filter((v) => v.startsWith('server-'))).toEqual([]);
    expect(env['DATABRICKS_TOKEN']).toBe('run-token');
    expect(env['PATH']).toBe(process.env['PATH']);
    expect(env['HOME']).toBe(process.env['HOME']);
  });
});

describe('sandboxArgs', () => {
  it('hides the state directory and the private dirs, binds back the visible dirs, and read-only dirs only when they are hidden', () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'brickyard-sandbox-args-')));
    try {
      const state = join(root, 'state');
      const work = join(state, 'runs', '7');
      const inside = join(state, 'runner');
      const home = join(root, 'home');
      const venv = join(home, 'venv');
      const outside = join(root, 'runner');
      const sockets = join(root, 'api');
      for (const d of [inside, venv, outside, sockets]) mkdirSync(d, { recursive: true });
      // the home itself and "/" on sys.path are never bound back: that would undo the hiding
      const args = sandboxArgs({ stateDir: state, visible: [work], readOnly: [inside, outside, venv, home, '/'], hidden: [home], apiSocketDir: sockets });
      const tail = args.slice(args.indexOf('--tmpfs'));
      expect(tail).toEqual([
        '--tmpfs', home,
        '--ro-bind', venv, venv,
        '--ro-bind', sockets, sockets,
        // after the read-only binds, which may hold the state directory
        '--tmpfs', state,
        '--bind', work, work,
        '--ro-bind', inside, inside,
        '--remount-ro', state,
      ]);
      expect(args).toContain('--cap-drop');
      expect(args).toContain('--unshare-net');
      expect(sandboxArgs({ stateDir: state, visible: [] })).not.toContain('--unshare-net');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("hides the server user's home and the temporary directories; /run only with a private network", () => {
    const home = realpathSync(mkdtempSync(join(tmpdir(), 'brickyard-home-')));
    try {
      process.env['HOME'] = home;
      const dirs = hostPrivateDirs(true);
      expect(dirs).toContain(home);
      expect(dirs).toContain('/tmp');
      expect(dirs).toContain('/run');
      // parents first, so the home inside /tmp is an empty directory on top of the empty /tmp
      expect(dirs.indexOf('/tmp')).toBeLessThan(dirs.indexOf(home));
      expect(hostPrivateDirs(false)).not.toContain('/run');
      process.env['HOME'] = '/';
      expect(hostPrivateDirs(false)).not.toContain('/');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('a machine where bubblewrap works but cannot make a network namespace', () => {
  it('keeps the sandbox with the host network, says why, and the isolation status warns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brickyard-fake-bwrap-'));
    try {
      // refuses --unshare-net as a container without network namespaces does, runs the real bwrap otherwise
      const fake = join(dir, 'bwrap');
      writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do [ "$a" = --unshare-net ] && { echo "bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted" >&2; exit 1; }; done\nexec bwrap "$@"\n', { mode: 0o755 });
      process.env['BRICKYARD_BWRAP'] = fake;
      resetSandboxProbe();
      const status = sandboxStatus();
      if (!status.isolated) return; // no bubblewrap here at all: the first test covers that
      const networkReason = `${fake} --unshare-net does not work here (${fake} does not work here (exit 1: bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted))`;
      expect(status).toEqual({ isolated: true, bwrap: fake, privateNetwork: false, networkReason });
      const cmd = sandboxedCommand('python3', ['x'], { stateDir: join(dir, 'state'), visible: [], apiSocketDir: dir });
      expect(cmd.sandboxed).toBe(true);
      expect(cmd.privateNetwork).toBe(false);
      expect(cmd.args).not.toContain('--unshare-net');
      expect(notebookIsolation({ notebookNetwork: 'private' })).toEqual({
        isolated: true,
        sandbox: 'bubblewrap',
        private_network: false,
        warnings: [`Notebook code shares the host network: it can connect to Postgres, SMTP and any other service on this machine (${networkReason}).`],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
