/**
 * `brickyard up` says which interpreter runs tasks and whether pandas, numpy and scikit-learn import
 * (issue 14 item 8). The interpreter is a wrapper around this machine's python3 started with `-S` (no
 * site-packages), with only a fake `pandas` and `numpy` on its PYTHONPATH: the answer is the same on
 * every machine.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, waitFor } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'brickyard-up-python-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeInterpreter(): string {
  const python3 = execFileSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8' }).trim();
  const libs = join(dir, 'libs');
  for (const lib of ['pandas', 'numpy']) {
    mkdirSync(join(libs, lib), { recursive: true });
    writeFileSync(join(libs, lib, '__init__.py'), '');
  }
  const wrapper = join(dir, 'venv-python');
  writeFileSync(wrapper, `#!/bin/sh\nPYTHONPATH=${libs} exec ${python3} -S "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

describe('brickyard up --python', () => {
  it('prints the interpreter and which of pandas, numpy and scikit-learn import, with what to do about a missing one', async () => {
    const python = fakeInterpreter();
    const up = runCli(['up', '--port', '0', '--state-dir', 'state', '--python', python], { cwd: dir, env: { HOME: join(dir, 'home') } });
    const banner = await waitFor(() => (up.stdout().includes('Press Ctrl-C') ? up.stdout() : undefined), 120_000);
    expect(banner).toMatch(/ {2}python: {6}\/\S+python3\S* \(Python 3\.\d+\.\d+\) — pandas ✓ {2}numpy ✓ {2}scikit-learn ✗\n/);
    expect(banner).toContain(
      '               tasks importing scikit-learn will fail with ModuleNotFoundError; point it at an interpreter that has them: brickyard up --python /path/to/venv/bin/python (or BRICKYARD_PYTHON)\n',
    );
    up.interrupt();
    expect(await up.code).toBe(0);

    // an interpreter that cannot be run is said so, in the JSON too
    const missing = runCli(['up', '--port', '0', '--state-dir', 'state', '--python', join(dir, 'no-such-python'), '--json'], { cwd: dir, env: { HOME: join(dir, 'home') } });
    const line = await waitFor(() => missing.stdout().split('\n').find((l) => l.startsWith('{')), 120_000);
    const info = JSON.parse(line) as { python: { requested: string; error?: string } };
    expect(info.python).toMatchObject({ requested: join(dir, 'no-such-python'), error: 'not found' });
    expect(missing.stderr()).toContain('warning: python: ');
    missing.interrupt();
    expect(await missing.code).toBe(0);
  }, 300_000);
});
