import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { NotebookIsolationResponse, type NotebookIsolation } from '../../src/api/notebook-isolation.js';
import { allServices } from '../../src/workspace/services/index.js';
import { haveChromium, launchBrowser } from '../helpers/browser.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';

// CI installs Debian's chromium (.ci/run); a developer machine without it skips with this message.
const describeUi = haveChromium ? describe : describe.skip;
if (!haveChromium) console.warn('web UI tests skipped: /usr/bin/chromium is not installed (apt-get install chromium)');

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

describeUi('web UI', () => {
  it('signs in with a token and lists jobs created through the API', async () => {
    const created = await ws.api('/api/2.1/jobs/create', {
      method: 'POST',
      json: { name: 'ui-visible-job', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/nb' } }] },
    });
    expect(created.status).toBe(200);
    const { job_id } = (await created.json()) as { job_id: number };

    const page = await browser.newPage();
    await page.goto(ws.url + '/');
    await page.getByLabel('token').fill(ws.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('me').textContent()).toBe('test@example.com');
    await page.getByRole('link', { name: 'ui-visible-job' }).click();
    await expect.poll(() => page.url()).toContain(`#job/${job_id}`);
    await expect.poll(() => page.locator('h2').first().textContent()).toBe('ui-visible-job');
    await page.close();
  });

  it('shows how notebooks are isolated: a discreet indicator when they are, a warning banner when they are not', async () => {
    const status = NotebookIsolationResponse.parse(await (await ws.api('/api/2.0/brickyard/notebook-isolation')).json());
    const page = await browser.newPage();
    await page.goto(ws.url + '/');
    await page.getByLabel('token').fill(ws.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('me').textContent()).toBe('test@example.com');
    // what this machine gives (bubblewrap with a private network in CI)
    if (status.warnings.length === 0) {
      await expect.poll(() => page.getByTestId('notebook-isolation').textContent()).toBe('notebooks isolated (bubblewrap)');
      expect(await page.getByTestId('notebook-isolation-warning').count()).toBe(0);
    } else {
      await expect.poll(() => page.getByTestId('notebook-isolation-warning').textContent()).toContain(status.warnings[0]);
    }
    // a machine without a sandbox: the server's answer as notebookIsolation() gives it there
    const unisolated: NotebookIsolation = { isolated: false, sandbox: 'none', private_network: false, warnings: ['Notebook code is not isolated: it runs as the server\'s OS user (bwrap (bubblewrap) is not installed).'] };
    await page.route('**/api/2.0/brickyard/notebook-isolation', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(unisolated) }));
    await page.reload();
    const banner = page.getByTestId('notebook-isolation-warning');
    await expect.poll(() => banner.textContent()).toContain('Notebooks are NOT isolated.');
    expect(await banner.textContent()).toContain('bwrap (bubblewrap) is not installed');
    expect(await page.getByTestId('notebook-isolation').count()).toBe(0);
    await page.close();
  });

  it('shows an API error instead of data when the token is wrong', async () => {
    const page = await browser.newPage();
    await page.goto(ws.url + '/');
    await page.getByLabel('token').fill('dapi-not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.error').first().textContent()).toContain('UNAUTHENTICATED');
    await page.close();
  });
});
