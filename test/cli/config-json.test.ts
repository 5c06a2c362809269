/** `--config` JSON files are strict JSON: what JSON tools reject is a file:line:col error, exit 2. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'brickyard-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

async function validate(file: string): Promise<{ code: number; out: string }> {
  const r = runCli(['validate', '--config', file], { cwd: dir, env: { HOME: dir } });
  const code = await r.code;
  return { code, out: r.stdout() + r.stderr() };
}

const JOB = '"name": "j",\n  "tasks": [{"task_key": "t", "notebook_task": {"notebook_path": "/Shared/nb"}}]';

describe('validate --config with invalid JSON', () => {
  it.each([
    ['trailing comma', `{\n  ${JOB},\n}\n`, 'config/job.json:3:81: error BY_PARSE — invalid JSON: trailing comma'],
    ['// comment', `{\n  // a comment 'max_concurrent_runs'\n  ${JOB}\n}\n`, 'config/job.json:2:3: error BY_PARSE — invalid JSON: comments are not allowed in JSON'],
    ['single quotes', `{\n  ${JOB},\n  'max_concurrent_runs': 1\n}\n`, 'config/job.json:4:3: error BY_PARSE — invalid JSON: field names must be in double quotes'],
  ])('%s: exit 2 with file:line:col and a hint', async (_what, text, expected) => {
    write('config/job.json', text);
    const r = await validate('config/job.json');
    expect(r.code).toBe(2);
    expect(r.out).toContain(expected);
    expect(r.out).toContain('(hint: ');
  });

  it('the same content in a .yml file is YAML and valid', async () => {
    write('config/job.yml', `{\n  ${JOB},\n}\n`);
    const r = await validate('config/job.yml');
    expect(r.out).not.toContain('BY_PARSE');
    expect(r.code).toBe(0);
  });
});

describe('brickyard bundle <verb>', () => {
  it('bundle validate is validate', async () => {
    write('config/ok.json', `{\n  ${JOB}\n}\n`);
    const r = runCli(['bundle', 'validate', '--config', 'config/ok.json'], { cwd: dir, env: { HOME: dir } });
    expect(await r.code).toBe(0);
    expect(r.stdout()).toContain('ok: 1 job(s), 0 error(s)');
  });

  it('lists the verbs it accepts in help', async () => {
    const r = runCli(['--help'], { cwd: dir, env: { HOME: dir } });
    await r.code;
    for (const verb of ['validate', 'deploy', 'run', 'destroy', 'summary']) expect(r.stdout() + r.stderr()).toContain(`bundle ${verb}`);
  });
});
