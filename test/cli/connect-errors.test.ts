/** Setup mistakes are named plainly: missing credentials (exit 3), an unknown profile (exit 3), an unreachable host (exit 4). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'brickyard-connect-'));
const settings = JSON.stringify({ name: 'j', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/nb' } }] });
writeFileSync(join(dir, 'job.json'), settings);
// a port that accepts connections (so only the credentials are missing)
const listener = net.createServer((s) => s.destroy());
let port = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as net.AddressInfo).port;
});
afterAll(() => {
  listener.close();
  rmSync(dir, { recursive: true, force: true });
});

async function plan(env: NodeJS.ProcessEnv, extra: string[] = []): Promise<{ code: number; err: string }> {
  const r = runCli(['plan', '--config', 'job.json', ...extra], { cwd: dir, env: { HOME: dir, ...env } });
  const code = await r.code;
  return { code, err: r.stderr() };
}

describe('connection and auth errors', () => {
  it('host set but no token: exit 3 naming what is missing and where it was looked for', async () => {
    const r = await plan({ DATABRICKS_HOST: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(3);
    expect(r.err).toContain(`error BY_AUTH: no credentials for http://127.0.0.1:${port} (host from DATABRICKS_HOST): looked for DATABRICKS_TOKEN, DATABRICKS_CLIENT_ID + DATABRICKS_CLIENT_SECRET, and a token in ${join(dir, '.databrickscfg')} (does not exist)`);
  });

  it('nothing configured: exit 3 saying no host was found and where', async () => {
    const r = await plan({});
    expect(r.code).toBe(3);
    expect(r.err).toContain("error BY_AUTH: no Databricks workspace host: looked at DATABRICKS_HOST, the target's workspace.host and");
  });

  it('server down: "cannot reach HOST (connection refused)" at once, no retries', async () => {
    const r = await plan({ DATABRICKS_HOST: 'http://127.0.0.1:9', DATABRICKS_TOKEN: 'dapi-x' });
    expect(r.code).toBe(4);
    expect(r.err).toContain('error BY_REMOTE: cannot reach http://127.0.0.1:9 (connection refused)');
    expect(r.err).not.toContain('fetch failed');
  });

  it('--profile nope names the profiles that exist', async () => {
    const cfg = join(dir, 'cfg');
    writeFileSync(cfg, `[dev]\nhost = http://127.0.0.1:${port}\ntoken = abc\n\n[local]\nhost = http://127.0.0.1:${port}\ntoken = abc\n`);
    const r = await plan({ DATABRICKS_CONFIG_FILE: cfg }, ['--profile', 'nope']);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`error BY_AUTH: profile 'nope' not found (profiles in ${cfg}: dev, local)`);
  });
});
