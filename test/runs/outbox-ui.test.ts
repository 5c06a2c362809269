import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { haveChromium, launchBrowser } from '../helpers/browser.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { createJob, getRun, runNow, tasksOf, waitForRun } from './helpers.js';

// The outbox page of the web UI (#outbox) shows the mails email_notifications produced. Needs
// Debian's chromium and a built UI (npm run build); without chromium it is skipped with a message.

const describeUi = haveChromium ? describe : describe.skip;
if (!haveChromium) console.warn('outbox UI test skipped: /usr/bin/chromium is not installed (apt-get install chromium)');

let ws: TestWorkspace;
let browser: Browser;
beforeAll(async () => {
  if (!haveChromium) return;
  ws = await startTestWorkspace({ services: allServices() });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await ws?.close();
});

describeUi('outbox and run pages', () => {
  it('lists the mails of a finished run, links to the run, and task run_page_urls open the task', async () => {
    const jobId = await createJob(ws, {
      name: 'mailing job',
      email_notifications: { on_success: ['team@example.com'] },
      tasks: [{ task_key: 'c', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }],
    });
    const runId = await runNow(ws, { job_id: jobId });
    await waitForRun(ws, runId);

    const page = await browser.newPage();
    await page.goto(ws.url + '/');
    await page.getByLabel('token').fill(ws.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Outbox' }).click();
    const row = page.locator('tr', { hasText: 'team@example.com' });
    await expect.poll(() => row.textContent()).toContain(`Run of mailing job succeeded (run ${runId})`);
    expect(await row.textContent()).toContain('on_success');
    expect(await row.textContent()).toContain('kept here (no SMTP)');
    await row.getByRole('link', { name: String(runId) }).click();
    await expect.poll(() => page.url()).toContain(`#job/${jobId}/run/${runId}`);
    await expect.poll(() => page.getByTestId('run-state').textContent()).toBe('TERMINATED SUCCESS');

    // a task run's run_page_url opens the same page for that task
    const taskRun = tasksOf(await getRun(ws, runId))[0]!;
    const url = String(taskRun['run_page_url']);
    expect(url).toBe(`${ws.url}/#job/${jobId}/run/${String(taskRun['run_id'])}`);
    await page.goto(url);
    await expect.poll(() => page.locator('h2').first().textContent()).toContain('Task c');
    await expect.poll(() => page.getByTestId('run-state').textContent()).toBe('TERMINATED SUCCESS');
    await page.close();
  });
});
