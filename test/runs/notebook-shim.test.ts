import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, notebook, ok, outputOf, runNow, startRunsWorkspace, stateOf, taskByKey, waitForRun, type Json } from './helpers.js';

// The notebook shim as a job sees it: every dbutils/magic feature exercised by a real run through
// the engine (not the runner alone), read back through runs/get-output.

let ws: TestWorkspace;
const DIR = '/Shared/shim';
const SECRET = 'hunter2-s3cret-value';

beforeAll(async () => {
  ws = await startRunsWorkspace({ engine: { taskConcurrency: 4 } });
  await ok(ws, 'POST', '/api/2.0/secrets/scopes/create', { scope: 'ml' });
  await ok(ws, 'POST', '/api/2.0/secrets/put', { scope: 'ml', key: 'db-password', string_value: SECRET });
  await importSource(ws, `${DIR}/lib/constants`, notebook('LIB_VALUE = 41 + 1\ndef greet(name):\n    return "hello " + name'));
  await importSource(ws, `${DIR}/child`, notebook('dbutils.widgets.text("who", "nobody")\ndbutils.notebook.exit("child saw " + dbutils.widgets.get("who"))'));
  await importSource(
    ws,
    `${DIR}/main`,
    notebook(
      '%run ./lib/constants',
      // would be a SyntaxError if it ran as Python
      '# MAGIC %md\n# MAGIC # Training report\n# MAGIC This cell is *markdown* and is skipped.',
      `dbutils.widgets.dropdown("color", "red", ["red", "green", "blue"])
dbutils.widgets.text("name", "anonymous")
print("color=" + dbutils.widgets.get("color"), "name=" + getArgument("name"), "missing=" + dbutils.widgets.getArgument("missing", "fallback"))`,
      'import sys\nprint("lib", LIB_VALUE, greet("ada"))\nprint("this goes to stderr", file=sys.stderr)',
      '# MAGIC %sh\n# MAGIC echo "from the shell $((6 * 7))"',
      `pw = dbutils.secrets.get(scope="ml", key="db-password")
print("password is", pw)
print("keys", [s.key for s in dbutils.secrets.list("ml")])`,
      `dbutils.fs.mkdirs("dbfs:/tmp/shim")
dbutils.fs.put("dbfs:/tmp/shim/data.csv", "x,y\\n1,2\\n", True)
print("head", repr(dbutils.fs.head("dbfs:/tmp/shim/data.csv")))
print("ls", [f.name for f in dbutils.fs.ls("dbfs:/tmp/shim")])`,
      'print("child:", dbutils.notebook.run("./child", 60, {"who": "main"}))',
      'dbutils.notebook.exit("done with " + pw)',
    ),
  );
  await importSource(ws, `${DIR}/pip`, notebook('print("before pip")', '# MAGIC %pip install scikit-learn'));
  await importSource(ws, `${DIR}/shout`, notebook('import sys\ndbutils.widgets.text("word", "")\nw = dbutils.widgets.get("word")\nprint("out:" + w)\nprint("err:" + w, file=sys.stderr)'));
});
afterAll(async () => {
  await ws?.close();
});

describe('notebook shim through a job run', () => {
  it('widgets, %run, %md, %sh, secrets (redacted), dbutils.fs, notebook.run and notebook.exit', async () => {
    const jobId = await createJob(ws, { name: 'shim', tasks: [{ task_key: 'main', notebook_task: { notebook_path: `${DIR}/main`, base_parameters: { color: 'green' } } }] });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId, notebook_params: { name: 'Ada' } }), { timeoutMs: 60_000 });
    const task = taskByKey(run, 'main');
    expect(stateOf(task), JSON.stringify(task['state'])).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
    const out = await outputOf(ws, Number(task['run_id']));
    // the exit value is output too: the secret in it is redacted
    expect(out['notebook_output']).toEqual({ result: 'done with [REDACTED]' });
    const logs = String(out['logs']);
    expect(logs).toContain('color=green name=Ada missing=fallback');
    expect(logs).toContain('lib 42 hello ada');
    expect(logs).toContain('this goes to stderr');
    expect(logs).toContain('from the shell 42');
    expect(logs).toContain('password is [REDACTED]');
    expect(logs).toContain("keys ['db-password']");
    expect(logs).toContain("head 'x,y\\n1,2\\n'");
    expect(logs).toContain("ls ['data.csv']");
    expect(logs).toContain('child: child saw main');
    expect(logs).not.toContain(SECRET);
    expect(JSON.stringify(await ok(ws, 'GET', '/api/2.2/jobs/runs/get', { run_id: Number(run['run_id']), include_resolved_values: true }))).not.toContain(SECRET);
    // dbutils.fs wrote a real file under the workspace's local storage
    expect(readFileSync(join(ws.stateDir, 'dbfs', 'tmp', 'shim', 'data.csv'), 'utf8')).toBe('x,y\n1,2\n');
  });

  it("the seed's user_schema_setup: the notebook context's userName() is the run-as user", async () => {
    await importSource(
      ws,
      `${DIR}/user_schema_setup`,
      notebook(`import re
USER_EMAIL = dbutils.notebook.entry_point.getDbutils().notebook().getContext().userName().get()
USER_SCHEMA = re.sub(r'[^a-zA-Z0-9_]', '_', USER_EMAIL.split('@')[0]).lower()
dbutils.notebook.exit(USER_EMAIL + " " + USER_SCHEMA)`),
    );
    const jobId = await createJob(ws, { name: 'who', tasks: [{ task_key: 'who', notebook_task: { notebook_path: `${DIR}/user_schema_setup` } }] });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 60_000 });
    const task = taskByKey(run, 'who');
    expect(stateOf(task), JSON.stringify(task['state'])).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
    expect((await outputOf(ws, Number(task['run_id'])))['notebook_output']).toEqual({ result: 'test@example.com test' });
  });

  it('%pip is refused by name, after the cells before it ran', async () => {
    const jobId = await createJob(ws, { name: 'pip', tasks: [{ task_key: 'pip', notebook_task: { notebook_path: `${DIR}/pip` } }] });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }));
    const task = taskByKey(run, 'pip');
    expect(stateOf(task).result).toBe('FAILED');
    expect(stateOf(task).message).toContain('%pip is not supported by the local workspace');
    const out = await outputOf(ws, Number(task['run_id']));
    expect(String(out['error'])).toMatch(/^UnsupportedMagic: %pip is not supported by the local workspace: install packages into the Python interpreter configured with --python/);
    expect(String(out['logs'])).toContain('before pip');
  });

  it('captures stdout and stderr per task, even for tasks running at the same time', async () => {
    const shout = (word: string) => ({ task_key: word, notebook_task: { notebook_path: `${DIR}/shout`, base_parameters: { word } } });
    const jobId = await createJob(ws, { name: 'voices', tasks: [shout('alpha'), shout('beta'), shout('gamma')] });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 60_000 });
    expect(stateOf(run).result).toBe('SUCCESS');
    for (const word of ['alpha', 'beta', 'gamma']) {
      const logs = String((await outputOf(ws, Number(taskByKey(run, word)['run_id'])))['logs']);
      const lines = logs.split('\n').filter((l) => l.length > 0).sort();
      expect(lines, word).toEqual([`err:${word}`, `out:${word}`]);
    }
  });

  it('get-output shows logs and error of a failed notebook, with the traceback from the user cell', async () => {
    await importSource(ws, `${DIR}/broken`, notebook('print("loading")', 'def load():\n    raise KeyError("column price")\nload()'));
    const jobId = await createJob(ws, { name: 'broken', tasks: [{ task_key: 'b', notebook_task: { notebook_path: `${DIR}/broken` } }] });
    const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }));
    const out = await outputOf(ws, Number(taskByKey(run, 'b')['run_id']));
    expect(out['error']).toBe("KeyError: 'column price'");
    expect(String(out['error_trace'])).toContain(`File "${DIR}/broken"`);
    expect(String(out['error_trace'])).not.toContain('brickyard_runner');
    expect(String(out['logs'])).toContain('loading');
    expect((out['metadata'] as Json)['run_page_url']).toBe(`${ws.ctx.config.host}/#job/${jobId}/run/${String(taskByKey(run, 'b')['run_id'])}`);
  });
});
