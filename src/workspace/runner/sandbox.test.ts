import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childEnv } from './process.js';
import { resetSandboxProbe, sandboxArgs, sandboxedCommand, sandboxStatus } from './sandbox.js';

afterEach(() => {
  delete process.env['BRICKYARD_BWRAP'];
  delete process.env['PGPASSWORD'];
  delete process.env['DATABASE_URL'];
  delete process.env['SOME_API_KEY'];
  resetSandboxProbe();
});

describe('notebook sandbox probe', () => {
  it('says why notebook code is not isolated when bwrap is missing, and then runs the command as it is', () => {
    process.env['BRICKYARD_BWRAP'] = '/nonexistent/bwrap';
    resetSandboxProbe();
    expect(sandboxStatus()).toEqual({ isolated: false, reason: '/nonexistent/bwrap (bubblewrap) is not installed' });
    expect(sandboxedCommand('python3', ['x'], { stateDir: '/tmp/whatever', visible: [] })).toEqual({ command: 'python3', args: ['x'] });
  });
});

describe('childEnv', () => {
  it('keeps server secrets out of user code and adds the run token back', () => {
    process.env['PGPASSWORD'] = 'pw';
    process.env['DATABASE_URL'] = 'postgres://u:pw@h/db';
    process.env['SOME_API_KEY'] = 'k';
    const env = childEnv({ DATABRICKS_TOKEN: 'run-token' });
    expect(env['PGPASSWORD']).toBeUndefined();
    expect(env['DATABASE_URL']).toBeUndefined();
    expect(env['SOME_API_KEY']).toBeUndefined();
    expect(env['DATABRICKS_TOKEN']).toBe('run-token');
    expect(env['PATH']).toBe(process.env['PATH']);
  });
});

describe('sandboxArgs', () => {
  it('hides the state directory, binds back the visible dirs, and the runner read-only only when it lives inside', () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'brickyard-sandbox-args-')));
    try {
      const state = join(root, 'state');
      const work = join(state, 'runs', '7');
      const inside = join(state, 'runner');
      const outside = join(root, 'runner');
      mkdirSync(inside, { recursive: true });
      mkdirSync(outside, { recursive: true });
      const args = sandboxArgs({ stateDir: state, visible: [work], readOnly: [inside, outside] });
      const tail = args.slice(args.indexOf('--tmpfs'));
      expect(tail).toEqual(['--tmpfs', state, '--bind', work, work, '--ro-bind', inside, inside, '--remount-ro', state]);
      expect(args).toContain('--cap-drop');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
