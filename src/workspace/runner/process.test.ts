import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startRunnerProcess } from './process.js';
import { runnerPackageDir } from './runner-path.js';

const dir = mkdtempSync(join(tmpdir(), 'brickyard-runner-proc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nb = (...cells: string[]) => '# Databricks notebook source\n' + cells.join('\n# COMMAND ----------\n') + '\n';

describe('runner process', () => {
  it('finds python/brickyard_runner from the source tree', () => {
    expect(runnerPackageDir()).toMatch(/python[/\\]brickyard_runner$/);
  });

  it('runs a notebook, keeps only the tail of its output and reads the result file', async () => {
    const proc = startRunnerProcess({
      python: 'python3',
      workDir: join(dir, 'a'),
      task: { kind: 'notebook', path: '/t', source: nb('for i in range(2000):\n    print("line", i)', 'dbutils.notebook.exit(dbutils.widgets.get("x"))'), parameters: { x: 'done' } },
      env: {},
      outputLimitBytes: 1000,
    });
    const exit = await proc.exited;
    expect(exit.exitCode).toBe(0);
    expect(exit.result).toMatchObject({ status: 'SUCCESS', result: 'done' });
    expect(exit.outputTruncated).toBe(true);
    expect(Buffer.byteLength(exit.output)).toBeLessThanOrEqual(1000);
    expect(exit.output.trimEnd().endsWith('line 1999')).toBe(true);
  });

  // the notebook sleeps far past the test's timeout: the test only passes if terminate() stops it
  it('terminate() stops a sleeping notebook (SIGTERM → cancelled result)', async () => {
    const up = join(dir, 'b-up');
    const proc = startRunnerProcess({
      python: 'python3',
      workDir: join(dir, 'b'),
      task: { kind: 'notebook', path: '/t', source: nb(`import time\nopen(${JSON.stringify(up)}, "w").close()\ntime.sleep(600)`) },
      env: {},
      outputLimitBytes: 10_000,
    });
    // user code is running (the runner's SIGTERM handler is installed) once the marker exists
    await vi.waitUntil(() => existsSync(up), { timeout: 20_000, interval: 20 });
    proc.terminate(2000);
    const exit = await proc.exited;
    // the runner handled SIGTERM itself: a cancelled result, no SIGKILL after the grace period
    expect(exit.signal).toBeNull();
    expect(exit.result).toMatchObject({ status: 'FAILED', cancelled: true });
  }, 30_000);

  it('reports an interpreter that cannot start', async () => {
    const proc = startRunnerProcess({ python: '/nonexistent/python', workDir: join(dir, 'c'), task: { kind: 'python_file', path: '/x.py', source: '' }, env: {}, outputLimitBytes: 100 });
    const exit = await proc.exited;
    expect(exit.result).toBeUndefined();
    expect(exit.spawnError).toContain('/nonexistent/python');
  });
});
