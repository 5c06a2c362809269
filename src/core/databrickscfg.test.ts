import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from './errors.js';
import { writeProfile } from './databrickscfg.js';

describe('writeProfile', () => {
  it('replaces its own profile, keeps the others and leaves the file private even when it existed', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'by-cfg-')), 'cfg');
    writeFileSync(file, '[prod]\nhost = https://x.cloud.databricks.com\n\n[local]\nhost = http://old\ntoken = old\n', { mode: 0o644 });
    writeProfile({ DATABRICKS_CONFIG_FILE: file }, 'local', { host: 'http://127.0.0.1:8787', token: 'new-token' });
    expect(readFileSync(file, 'utf8')).toBe('[prod]\nhost = https://x.cloud.databricks.com\n\n[local]\nhost = http://127.0.0.1:8787\ntoken = new-token\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a name that cannot be a section, as a usage error', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'by-cfg-')), 'cfg');
    let caught: unknown;
    try {
      writeProfile({ DATABRICKS_CONFIG_FILE: file }, 'bad]name', { host: 'h' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).exitCode).toBe(2);
    expect((caught as UserError).message).toBe('invalid profile name "bad]name" for --write-profile');
  });
});
