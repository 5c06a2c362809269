import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEFAULT_DATASET_SETTINGS } from '../../src/datasets/settings.js';
import type { TargetAs } from '../../src/workspace/services/datasets/target-factory.js';
import { targetFactory } from '../../src/workspace/services/datasets/target-factory.js';
import { haveChromium, launchBrowser } from '../helpers/browser.js';
import { screenshot } from '../helpers/ui.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { datasetServices, ORDERS, upload } from '../datasets/helpers.js';

// CI installs Debian's chromium (.ci/run); a developer machine without it skips with this message.
const describeUi = haveChromium ? describe : describe.skip;
if (!haveChromium) console.warn('datasets UI tests skipped: /usr/bin/chromium is not installed (apt-get install chromium)');

/**
 * The datasets page in Chromium: an upload through its form, whose badge goes Syncing → Retrying
 * 1/3 → Synced as the sync moves (its first bronze load is held, then fails), a local-only one, and
 * a failed one showing its error on hover. The page is never reloaded: it polls.
 */

let ws: TestWorkspace;
let browser: Browser;
let release: () => void = () => undefined;
const gate = new Promise<void>((resolve) => (release = resolve));
let firstLoad = true;

function gatedTarget(real: TargetAs): TargetAs {
  return async (userName, plan) => {
    const t = await real(userName, plan);
    return {
      host: t.host,
      upload: (p, c) => t.upload(p, c),
      exists: (type, name) => t.exists(type, name),
      release: () => t.release?.() ?? Promise.resolve(),
      async sql(statement) {
        if (statement.startsWith('CREATE OR REPLACE TABLE `datasets_default`.`bronze`.`ui_orders_') && firstLoad) {
          firstLoad = false;
          await gate;
          throw new Error('injected: warehouse restarting');
        }
        if (statement.includes('`ui_doomed_')) throw new Error('injected: no permission on catalog datasets_default');
        return t.sql(statement);
      },
    };
  };
}

beforeAll(async () => {
  if (!haveChromium) return;
  ws = await startTestWorkspace({
    services: datasetServices({ settings: { retryIntervalMs: 2500, retryAttempts: 3 }, target: (ctx) => gatedTarget(targetFactory(ctx, DEFAULT_DATASET_SETTINGS)) }),
  });
  browser = await launchBrowser();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await ws?.close();
});

/** A new page (its own browser context, so its own token) on the datasets page, signed in as the admin. */
async function signedInPage() {
  const page = await browser.newPage();
  await page.goto(ws.url + '/#datasets');
  await page.getByLabel('token').fill(ws.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

describeUi('datasets page', () => {
  it('uploads through the form and shows the badge follow the sync', async () => {
    const page = await signedInPage();
    await expect.poll(() => page.getByText('No datasets yet.').count(), { timeout: 30_000 }).toBe(1);

    const csv = 'order_id,amount\n' + ORDERS.map((o) => `${o.order_id},${o.amount}`).join('\n') + '\n';
    await page.getByLabel('dataset file').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByLabel('dataset name').fill('ui orders');
    await page.getByLabel('dataset description').fill('from the browser');
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => page.getByTestId('upload-message').textContent(), { timeout: 30_000 }).toBe('Uploaded ui orders: 3 rows');
    const row = page.locator('tr', { hasText: 'ui orders' });
    await expect.poll(() => row.locator('.ds-badge').textContent(), { timeout: 30_000 }).toBe('Syncing');
    expect(await row.locator('td').nth(1).textContent()).toBe('from the browser');
    expect(await row.locator('td').nth(2).textContent()).toBe('3');

    release();
    await expect.poll(() => row.locator('.ds-badge').textContent(), { timeout: 30_000 }).toBe('Retrying 1/3');
    expect(await row.locator('.ds-badge').getAttribute('title')).toContain('injected: warehouse restarting');
    await expect.poll(() => row.locator('.ds-badge').textContent(), { timeout: 60_000 }).toBe('Synced');
    expect(await row.locator('.ds-badge').getAttribute('title')).toMatch(/^datasets_default\.bronze\.ui_orders_[0-9a-f]{8} · datasets_default\.silver\.ui_orders_/);
    await page.close();
  }, 180_000);

  it('shows Local only, and Failed with its error on hover', async () => {
    const local = await upload(ws, { name: 'ui local', records: ORDERS, sync: false });
    const doomed = await upload(ws, { name: 'ui doomed', records: ORDERS });
    const page = await signedInPage();
    await expect.poll(() => page.getByTestId(`badge-${local.id}`).textContent(), { timeout: 30_000 }).toBe('Local only');
    const badge = page.getByTestId(`badge-${doomed.id}`);
    await expect.poll(() => badge.textContent(), { timeout: 60_000 }).toBe('Failed');
    await badge.hover();
    expect(await badge.getAttribute('title')).toContain('injected: no permission on catalog datasets_default');
    await screenshot(page, 'datasets');
    await page.close();
  }, 180_000);
});
