import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { startWorkspace } from '../../src/workspace/server.js';
import { getRunEngine } from '../../src/workspace/services/runs/engine.js';
import { describeSmtp, parseSmtpUrl } from '../../src/workspace/services/runs/smtp-settings.js';
import { sandboxStatus } from '../../src/workspace/runner/sandbox.js';
import { runCli, waitFor } from '../helpers/cli.js';
import { runsServices } from './services.js';

// `brickyard up --task-concurrency` and `--smtp-url/--smtp-from`: validated before anything starts,
// the SMTP password never echoed, and the banner shows only the SMTP host.

const dir = mkdtempSync(join(tmpdir(), 'brickyard-up-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('up --task-concurrency', () => {
  it.each([['0'], ['-3'], ['2.5'], ['many'], ['1001']])('refuses %s with a usage error', async (value) => {
    const r = runCli(['up', `--task-concurrency=${value}`], { cwd: dir });
    expect(await r.code).toBe(2);
    expect(r.stderr()).toContain(`--task-concurrency (or BRICKYARD_TASK_CONCURRENCY) must be a whole number from 1 to 1000, got "${value}"`);
  });

  it('reads BRICKYARD_TASK_CONCURRENCY too', async () => {
    const r = runCli(['up'], { cwd: dir, env: { BRICKYARD_TASK_CONCURRENCY: 'x' } });
    expect(await r.code).toBe(2);
    expect(r.stderr()).toContain('got "x"');
  });

  it('the workspace setting sizes the engine', async () => {
    const ws = await startWorkspace({ stateDir: join(dir, 'engine'), port: 0, inMemoryDatabase: true, logger: silentLogger, taskConcurrency: 3, services: runsServices() });
    try {
      expect(getRunEngine(ws.ctx).taskConcurrency).toBe(3);
    } finally {
      await ws.close();
    }
  });
});

describe('up --smtp-url', () => {
  it.each([
    ['http://mail.example.com', 'must use smtp:// or smtps://, not http://'],
    ['not a url', 'is not a URL'],
    ['smtp://:hunter2-secret@mail.example.com', 'has a password but no user name'],
    ['smtp://me:hunter2-secret@mail.example.com/path', 'must not have a path, query or fragment'],
  ])('refuses %s without echoing it', async (url, message) => {
    const r = runCli(['up', '--smtp-url', url], { cwd: dir });
    expect(await r.code).toBe(2);
    expect(r.stderr()).toContain(`--smtp-url ${message}`);
    expect(r.stderr() + r.stdout()).not.toContain('hunter2-secret');
  });

  it('refuses a bad --smtp-from and a --smtp-from without a URL', async () => {
    const bad = runCli(['up', '--smtp-url', 'smtp://mail.example.com', '--smtp-from', 'nobody'], { cwd: dir });
    expect(await bad.code).toBe(2);
    expect(bad.stderr()).toContain('--smtp-from must be an email address');
    const alone = runCli(['up', '--smtp-from', 'a@b.c'], { cwd: dir });
    expect(await alone.code).toBe(2);
    expect(alone.stderr()).toContain('--smtp-from needs --smtp-url');
  });

  it('parses ports, TLS and credentials', () => {
    expect(parseSmtpUrl('smtp://mail.example.com')).toEqual({ host: 'mail.example.com', port: 587, secure: false, from: 'brickyard@localhost' });
    expect(parseSmtpUrl('smtps://a%40b:p%3Aw@[::1]', 'Jobs <jobs@x.io>')).toEqual({ host: '::1', port: 465, secure: true, user: 'a@b', password: 'p:w', from: 'Jobs <jobs@x.io>' });
    expect(describeSmtp(parseSmtpUrl('smtps://a:secret-pw@[::1]:2465'))).toBe('smtps://[::1]:2465 (with login), from brickyard@localhost');
  });

  it('starts with SMTP and a task concurrency, showing the SMTP host but never the password', async () => {
    const env = { HOME: join(dir, 'home'), BRICKYARD_SMTP_URL: 'smtp://robot:hunter2-secret@127.0.0.1:2525' };
    const up = runCli(['up', '--port', '0', '--state-dir', 'state', '--task-concurrency', '2', '--smtp-from', 'jobs@example.com'], { cwd: dir, env });
    const banner = await waitFor(() => (up.stdout().includes('Press Ctrl-C') ? up.stdout() : undefined), 60_000);
    expect(banner).toContain('tasks:       up to 2 notebook/Python tasks at once');
    expect(banner).toContain('mail:        sent by smtp://127.0.0.1:2525 (with login), from jobs@example.com; also kept in the outbox');
    up.interrupt();
    expect(await up.code).toBe(0);
    expect(up.stdout() + up.stderr()).not.toContain('hunter2-secret');
    expect(up.stdout() + up.stderr()).not.toContain('robot:');
  });
});

describe('up --notebook-network', () => {
  it('refuses anything but private or host', async () => {
    const r = runCli(['up', '--notebook-network', 'none'], { cwd: dir });
    expect(await r.code).toBe(2);
    expect(r.stderr()).toContain('--notebook-network must be private or host, got "none"');
  });

  const status = sandboxStatus();
  it.skipIf(!status.isolated)('with host, says at start that notebook code can reach the host network', async () => {
    const up = runCli(['up', '--port', '0', '--state-dir', 'state-hostnet', '--notebook-network', 'host'], { cwd: dir, env: { HOME: join(dir, 'home') } });
    const banner = await waitFor(() => (up.stdout().includes('Press Ctrl-C') ? up.stdout() : undefined), 60_000);
    expect(banner).toContain('notebooks:   sandboxed with bubblewrap (state directory and home hidden), but they CAN reach the host network');
    expect(up.stderr()).toContain('warning: Notebook code shares the host network: it can connect to Postgres, SMTP and any other service on this machine (up --notebook-network host).');
    up.interrupt();
    expect(await up.code).toBe(0);
  }, 90_000);
});
