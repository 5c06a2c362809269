import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { allServices } from '../../src/workspace/services/index.js';
import { haveChromium, launchBrowser } from '../helpers/browser.js';
import { signedInContext, screenshot } from '../helpers/ui.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, notebook, ok, waitForRun, type Json } from '../runs/helpers.js';
import { createUserWithToken } from '../uc/helpers.js';

// CI installs Debian's chromium (.ci/run); a developer machine without it skips with this message.
const describeUi = haveChromium ? describe : describe.skip;
if (!haveChromium) console.warn('web UI tests skipped: /usr/bin/chromium is not installed (apt-get install chromium)');

const READER = 'reader@example.com';
let ws: TestWorkspace;
let browser: Browser;
let admin: BrowserContext;
let reader: BrowserContext;
let jobId: number;

beforeAll(async () => {
  if (!haveChromium) return;
  ws = await startTestWorkspace({ services: allServices() });
  const readerToken = await createUserWithToken(ws, READER);
  await importSource(ws, '/Shared/ui/ok', notebook('dbutils.widgets.text("who", "nobody")', 'dbutils.notebook.exit("hello " + dbutils.widgets.get("who"))'));
  jobId = await createJob(ws, {
    name: 'ui-job',
    parameters: [{ name: 'who', default: 'world' }],
    schedule: { quartz_cron_expression: '0 0 3 * * ?', timezone_id: 'UTC', pause_status: 'UNPAUSED' },
    tags: { 'brickyard-project': 'ml/dev', 'brickyard-resource': 'nightly' },
    tasks: [
      { task_key: 'extract', notebook_task: { notebook_path: '/Shared/ui/ok' } },
      { task_key: 'clean', depends_on: [{ task_key: 'extract' }], notebook_task: { notebook_path: '/Shared/ui/ok' } },
      { task_key: 'report', depends_on: [{ task_key: 'extract' }], notebook_task: { notebook_path: '/Shared/ui/ok' } },
    ],
  });
  browser = await launchBrowser();
  admin = await signedInContext(browser, ws.url, ws.token);
  reader = await signedInContext(browser, ws.url, readerToken);
});
afterAll(async () => {
  await browser?.close();
  await ws?.close();
});

async function jobSettings(): Promise<Json> {
  return (await ok(ws, 'GET', `/api/2.1/jobs/get?job_id=${jobId}`)).settings as Json;
}

describeUi('jobs in the web UI', () => {
  it('lists jobs with their schedule and pause state, and pauses and unpauses a schedule', async () => {
    const page = await admin.newPage();
    await page.goto('/');
    const row = page.getByTestId(`job-row-${jobId}`);
    await expect.poll(() => row.textContent()).toContain('0 0 3 * * ? (UTC)');
    expect(await row.textContent()).toContain('active');
    await screenshot(page, 'jobs-list');
    await row.getByRole('link', { name: 'ui-job' }).click();
    await page.getByRole('button', { name: 'Pause schedule' }).click();
    await expect.poll(async () => ((await jobSettings()).schedule as Json).pause_status).toBe('PAUSED');
    await page.getByRole('button', { name: 'Unpause schedule' }).click();
    await expect.poll(async () => ((await jobSettings()).schedule as Json).pause_status).toBe('UNPAUSED');
    await page.close();
  });

  it('shows the settings as YAML and JSON with the project that manages the job', async () => {
    const page = await admin.newPage();
    await page.goto(`/#job/${jobId}/settings`);
    await expect.poll(() => page.getByTestId('managed-by').textContent()).toContain('ml/dev');
    expect(await page.getByTestId('settings-text').textContent()).toContain('name: ui-job');
    await screenshot(page, 'job-settings');
    await page.getByLabel('JSON').check();
    const json = JSON.parse((await page.getByTestId('settings-text').textContent()) ?? '{}') as Json;
    expect(json.name).toBe('ui-job');
    await page.close();
  });

  it('runs the job now with a parameter, lands on the run page and fills the run matrix', async () => {
    const page = await admin.newPage();
    await page.goto(`/#job/${jobId}`);
    await page.getByLabel('who').fill('ui');
    await page.getByRole('button', { name: 'Run now' }).click();
    // the URL, and any error the page shows instead, so a failure says why
    await expect.poll(async () => `${page.url()} ${(await page.getByRole('alert').allTextContents()).join(' ')}`.trim(), { timeout: 30_000 }).toMatch(new RegExp(`#job/${jobId}/run/\\d+$`));
    const runId = Number(/run\/(\d+)$/.exec(page.url())![1]);
    const run = await waitForRun(ws, runId, { timeoutMs: 120_000 });
    expect((run.job_parameters as Json[])[0]).toMatchObject({ name: 'who', value: 'ui' });
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('TERMINATED SUCCESS');
    await page.goto(`/#job/${jobId}`);
    const matrix = page.getByTestId('run-matrix');
    await expect.poll(() => matrix.locator('a.cell.ok').count(), { timeout: 30_000 }).toBe(3);
    expect(await matrix.getByRole('rowheader').allTextContents()).toEqual(['extract', 'clean', 'report']);
    await screenshot(page, 'job-runs');
    await matrix.getByRole('gridcell', { name: /^clean run/ }).click();
    await expect.poll(() => page.getByTestId('task-result').textContent(), { timeout: 30_000 }).toBe('hello ui');
    await page.close();
  });

  it('grants a permission from the permissions tab', async () => {
    const page = await admin.newPage();
    await page.goto(`/#job/${jobId}/permissions`);
    await page.getByLabel('principal name').fill(READER);
    await page.getByLabel('permission level').selectOption('CAN_VIEW');
    await page.getByRole('button', { name: 'Grant' }).click();
    await expect.poll(() => page.getByTestId('job-acl').textContent()).toContain(READER);
    await screenshot(page, 'job-permissions');
    const acl = (await ok(ws, 'GET', `/api/2.0/permissions/jobs/${jobId}`)).access_control_list as Json[];
    expect(acl.find((e) => e.user_name === READER)).toMatchObject({ all_permissions: [{ permission_level: 'CAN_VIEW', inherited: false }] });
    await page.close();
  });

  it('offers a reader (CAN_VIEW) no run, pause or grant actions', async () => {
    const page = await reader.newPage();
    await page.goto(`/#job/${jobId}`);
    await expect.poll(() => page.locator('h2').first().textContent()).toBe('ui-job');
    await expect.poll(() => page.getByTestId('run-matrix').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Run now' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /schedule/ }).count()).toBe(0);
    // Databricks shows a job's ACL to its managers only
    await page.goto(`/#job/${jobId}/permissions`);
    await expect.poll(() => page.getByTestId('acl-hidden').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Grant' }).count()).toBe(0);
    const runs = (await ok(ws, 'GET', `/api/2.1/jobs/runs/list?job_id=${jobId}`)).runs as Json[];
    await page.goto(`/#job/${jobId}/run/${String(runs[0]!.run_id)}`);
    await expect.poll(() => page.getByTestId('task-graph').count()).toBe(1);
    expect(await page.getByRole('button', { name: /Cancel|Repair/ }).count()).toBe(0);
    await page.close();
  });

  it('offers a runner (CAN_MANAGE_RUN) Run now but not pause or grant', async () => {
    const runnerToken = await createUserWithToken(ws, 'runner@example.com');
    const granted = await ws.api(`/api/2.0/permissions/jobs/${jobId}`, { method: 'PATCH', json: { access_control_list: [{ user_name: 'runner@example.com', permission_level: 'CAN_MANAGE_RUN' }] } });
    expect(granted.status).toBe(200);
    const runner = await signedInContext(browser, ws.url, runnerToken);
    const page = await runner.newPage();
    await page.goto(`/#job/${jobId}`);
    await expect.poll(() => page.getByRole('button', { name: 'Run now' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /schedule/ }).count()).toBe(0);
    await runner.close();
  });

  it('refuses a job the viewer may not see with the API error', async () => {
    const hidden = await createJob(ws, { name: 'hidden', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/ui/ok' } }] });
    const page = await reader.newPage();
    await page.goto(`/#job/${hidden}`);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('PERMISSION_DENIED');
    await page.close();
  });
});
