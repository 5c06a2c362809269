import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { allServices } from '../../src/workspace/services/index.js';
import { haveChromium, launchBrowser } from '../helpers/browser.js';
import { attributes, signedInContext, screenshot } from '../helpers/ui.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, notebook, runNow, waitForRun, type Json } from '../runs/helpers.js';

const describeUi = haveChromium ? describe : describe.skip;
if (!haveChromium) console.warn('web UI tests skipped: /usr/bin/chromium is not installed (apt-get install chromium)');

let ws: TestWorkspace;
let browser: Browser;
let admin: BrowserContext;

beforeAll(async () => {
  if (!haveChromium) return;
  ws = await startTestWorkspace({ services: allServices() });
  browser = await launchBrowser();
  admin = await signedInContext(browser, ws.url, ws.token);
});
afterAll(async () => {
  await browser?.close();
  await ws?.close();
});

describeUi('the run page', () => {
  it('draws the task graph, shows a failure once, and repairs the failed tasks', async () => {
    await importSource(ws, '/Shared/run-ui/ok', notebook('print("fine")'));
    await importSource(ws, '/Shared/run-ui/flaky', notebook('raise ValueError("boom in flaky")'));
    const jobId = await createJob(ws, {
      name: 'graph-job',
      tasks: [
        { task_key: 'ingest', notebook_task: { notebook_path: '/Shared/run-ui/ok' } },
        { task_key: 'flaky', depends_on: [{ task_key: 'ingest' }], notebook_task: { notebook_path: '/Shared/run-ui/flaky' } },
        { task_key: 'publish', depends_on: [{ task_key: 'flaky' }, { task_key: 'ingest' }], notebook_task: { notebook_path: '/Shared/run-ui/ok' } },
      ],
    });
    const runId = await runNow(ws, { job_id: jobId });
    await waitForRun(ws, runId, { timeoutMs: 120_000 });
    const page = await admin.newPage();
    await page.goto(`/#job/${jobId}/run/${runId}`);
    await expect.poll(() => page.getByTestId('run-state').textContent()).toBe('INTERNAL_ERROR FAILED'); // a run with a failed task (wire notes §4.2)
    const graph = page.getByTestId('task-graph');
    expect((await attributes(graph.locator('[data-task]'), 'data-task')).sort()).toEqual(['flaky', 'ingest', 'publish']);
    expect((await attributes(graph.locator('[data-edge]'), 'data-edge')).sort()).toEqual(['flaky->publish', 'ingest->flaky', 'ingest->publish']);
    // dagre places a task to the right of what it depends on
    const x = async (key: string) => (await graph.locator(`[data-task="${key}"]`).boundingBox())!.x;
    expect(await x('ingest')).toBeLessThan(await x('flaky'));
    expect(await x('flaky')).toBeLessThan(await x('publish'));

    await graph.getByRole('button', { name: /^flaky:/ }).click();
    const output = page.getByTestId('task-output');
    await expect.poll(() => output.textContent()).toContain('boom in flaky');
    const text = (await output.textContent()) ?? '';
    expect(text.split('ValueError: boom in flaky').length - 1).toBe(1);
    // ...while the API still has it in both the trace and the logs
    const out = (await (await ws.api(`/api/2.1/jobs/runs/get-output?run_id=${String(((await waitForRun(ws, runId)).tasks as Json[]).find((t) => t.task_key === 'flaky')!.run_id)}`)).json()) as Json;
    expect(String(out.logs)).toContain('ValueError: boom in flaky');
    await screenshot(page, 'run-failed');

    await importSource(ws, '/Shared/run-ui/flaky', notebook('print("fixed")'));
    await page.getByRole('button', { name: /Repair run/ }).click();
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 120_000, interval: 1000 }).toBe('TERMINATED SUCCESS');
    const lanes = await attributes(page.getByTestId('timeline').locator('[data-lane]'), 'data-lane');
    // every attempt has its lane: the original ones and the repair's
    expect([...lanes].sort()).toEqual(['flaky#0@original', 'flaky#0@repair 1', 'ingest#0@original', 'publish#0@original', 'publish#0@repair 1']);
    expect(await page.getByRole('button', { name: /Repair run/ }).count()).toBe(0);
    await screenshot(page, 'run-repaired');
    await page.close();
  });

  it('cancels a running run', async () => {
    await importSource(ws, '/Shared/run-ui/slow', notebook('import time\ntime.sleep(600)'));
    const jobId = await createJob(ws, { name: 'slow-job', tasks: [{ task_key: 'sleep', notebook_task: { notebook_path: '/Shared/run-ui/slow' } }] });
    const runId = await runNow(ws, { job_id: jobId });
    const page = await admin.newPage();
    await page.goto(`/#job/${jobId}/run/${runId}`);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    const run: Json = await waitForRun(ws, runId, { timeoutMs: 60_000 });
    expect((run.state as Json).result_state).toBe('CANCELED');
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('TERMINATED CANCELED');
    await page.close();
  });
});
