import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
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

  it('shows an API error instead of data when the token is wrong', async () => {
    const page = await browser.newPage();
    await page.goto(ws.url + '/');
    await page.getByLabel('token').fill('dapi-not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.error').first().textContent()).toContain('UNAUTHENTICATED');
    await page.close();
  });
});
