import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO, Command } from '../cli/command.js';
import { main } from '../cli/main.js';
import { redact } from '../core/redact.js';
import { connect } from './connect.js';

function capture(): { io: CliIO; out: () => string } {
  let out = '';
  const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {}, cwd: tmpdir(), isTTY: false, interrupted: new Promise(() => undefined) };
  return { io, out: () => out };
}

describe('connect', () => {
  it('treats the resolved token as a secret in everything printed afterwards', async () => {
    const token = 'sekrit-token-not-pat-shaped-4711';
    // nothing listens there: connect fails, after the token is known to be a secret
    await expect(connect({ env: { DATABRICKS_HOST: 'http://127.0.0.1:9', DATABRICKS_TOKEN: token } })).rejects.toThrow('cannot reach http://127.0.0.1:9 (connection refused)');
    expect(redact(`log line with ${token} inside`)).toBe('log line with [REDACTED] inside');
  });

  it("refuses a target's workspace.host that differs from the profile's host", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'by-connect-'));
    const cfg = join(dir, 'databrickscfg');
    // connect checks that the host accepts connections
    const listener = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    writeFileSync(cfg, `[local]\nhost = http://127.0.0.1:${port}\ntoken = abcdefgh12345678\n`);
    const env = { DATABRICKS_CONFIG_FILE: cfg };
    await expect(connect({ env, profile: 'local', host: 'https://other.cloud.databricks.com' })).rejects.toThrow(
      `the target's workspace.host https://other.cloud.databricks.com differs from the host of profile local (http://127.0.0.1:${port})`,
    );
    // the same host, written without the scheme's default form, is accepted
    const remote = await connect({ env, profile: 'local', host: `http://127.0.0.1:${port}/` });
    expect(remote.host).toBe(`http://127.0.0.1:${port}`);
    listener.close();
  });
});

describe('CLI output', () => {
  const printer = (revealsSecrets: boolean): Command => ({
    path: ['print'],
    summary: 'prints a token',
    options: {},
    ...(revealsSecrets ? { revealsSecrets } : {}),
    run: ({ io }) => {
      io.stdout('token dapi0123456789abcdef0123456789abcdef\n');
      io.stderr('Authorization: Bearer abcdefgh12345678\n');
      return Promise.resolve(0);
    },
  });

  it('is redacted for every command', async () => {
    const c = capture();
    expect(await main(['print'], c.io, [printer(false)])).toBe(0);
    expect(c.out()).toBe('token [REDACTED]\nAuthorization: Bearer [REDACTED]\n');
  });

  it('keeps the secret a command exists to show (up prints its admin token once)', async () => {
    const c = capture();
    await main(['print'], c.io, [printer(true)]);
    expect(c.out()).toContain('dapi0123456789abcdef0123456789abcdef');
  });
});
