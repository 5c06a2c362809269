import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredSecretCount } from '../../src/core/redact.js';
import type { TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, notebook, outputOf, runNow, startRunsWorkspace, stateOf, taskByKey, waitForRun } from './helpers.js';

// Each attempt's API token is redacted from that attempt's output through a scope of its own,
// without growing the process-wide set of registered secrets (one token per attempt, forever).

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startRunsWorkspace();
});
afterAll(async () => {
  await ws?.close();
});

describe('run token redaction', () => {
  it('redacts the attempt token from its logs, error and result, and registers nothing process-wide', async () => {
    // glued to word characters, the token escapes the dapi… pattern: only the exact value catches it
    await importSource(ws, '/Shared/redact/leak', notebook('import os\ntok = os.environ["DATABRICKS_TOKEN"]\nprint("x" + tok + "y")\ndbutils.notebook.exit("r" + tok)'));
    await importSource(ws, '/Shared/redact/fail', notebook('import os\nraise RuntimeError("e" + os.environ["DATABRICKS_TOKEN"])'));
    const before = registeredSecretCount();
    const leak = await createJob(ws, { name: 'leak', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/redact/leak' } }] });
    const fail = await createJob(ws, { name: 'fail', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/redact/fail' } }] });
    const ok = await waitForRun(ws, await runNow(ws, { job_id: leak }), { timeoutMs: 60_000 });
    const bad = await waitForRun(ws, await runNow(ws, { job_id: fail }), { timeoutMs: 60_000 });
    expect(stateOf(ok).result).toBe('SUCCESS');
    expect(stateOf(bad).result).toBe('FAILED');

    const out = await outputOf(ws, Number(taskByKey(ok, 't')['run_id']));
    expect(String(out['logs'])).toContain('x[REDACTED]y');
    expect(out['notebook_output']).toEqual({ result: 'r[REDACTED]' });
    const err = await outputOf(ws, Number(taskByKey(bad, 't')['run_id']));
    expect(String(err['error'])).toContain('e[REDACTED]');
    expect(JSON.stringify([out, err])).not.toMatch(/dapi[0-9a-f]{16}/);
    expect(registeredSecretCount()).toBe(before);
  }, 120_000);
});
