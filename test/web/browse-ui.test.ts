import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { allServices } from '../../src/workspace/services/index.js';
import { haveChromium, launchBrowser } from '../helpers/browser.js';
import { horizontalOverflow, signedInContext, screenshot } from '../helpers/ui.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { importSource } from '../runs/helpers.js';
import { rows } from '../sql/helpers.js';
import { createUserWithToken } from '../uc/helpers.js';

const describeUi = haveChromium ? describe : describe.skip;
if (!haveChromium) console.warn('web UI tests skipped: /usr/bin/chromium is not installed (apt-get install chromium)');

const READER = 'analyst@example.com';
let ws: TestWorkspace & { warehouseId: string };
let browser: Browser;
let admin: BrowserContext;
let reader: BrowserContext;
let readerToken: string;

beforeAll(async () => {
  if (!haveChromium) return;
  const started = await startTestWorkspace({ services: allServices() });
  ws = Object.assign(started, { warehouseId: started.ctx.services.sql.require().warehouseId });
  readerToken = await createUserWithToken(ws, READER);
  for (const statement of [
    'CREATE SCHEMA main.sales',
    "CREATE TABLE main.sales.orders (id INT COMMENT 'order id', customer STRING, amount DOUBLE) COMMENT 'raw orders'",
    "INSERT INTO main.sales.orders VALUES (1, 'ada', 10.5), (2, 'bob', 20.0)",
    'CREATE VOLUME main.sales.landing',
    `GRANT USE SCHEMA, SELECT ON SCHEMA main.sales TO \`${READER}\``,
    `GRANT USE CATALOG ON CATALOG main TO \`${READER}\``,
  ]) await rows(ws, statement);
  const put = await ws.api('/api/2.0/fs/files/Volumes/main/sales/landing/2026/orders.csv', { method: 'PUT', body: 'id,amount\n1,10.5\n' });
  expect(put.ok).toBe(true);
  browser = await launchBrowser();
  admin = await signedInContext(browser, ws.url, ws.token);
  reader = await signedInContext(browser, ws.url, readerToken);
});
afterAll(async () => {
  await browser?.close();
  await ws?.close();
});

describeUi('workspace, catalog and SQL in the web UI', () => {
  it('browses the workspace and renders a notebook (markdown, code, outputs) and a file', async () => {
    await importSource(ws, '/Shared/docs/intro', '# Databricks notebook source\n# MAGIC %md\n# MAGIC # Sales intro\n# MAGIC Reads **orders**.\n\n# COMMAND ----------\n\nprint("hi")\n');
    const file = await ws.api('/api/2.0/workspace/import', { method: 'POST', json: { path: '/Shared/docs/readme.txt', format: 'AUTO', content: Buffer.from('plain <b>text</b>\n').toString('base64') } });
    expect(file.status).toBe(200);
    const page = await admin.newPage();
    await page.goto('/#workspace/Shared/docs');
    await expect.poll(() => page.getByTestId('workspace-list').textContent()).toContain('intro');
    await page.getByRole('link', { name: 'intro' }).click();
    const notebook = page.getByTestId('notebook');
    await expect.poll(() => notebook.locator('h3').first().textContent()).toBe('Sales intro');
    expect(await notebook.locator('strong').textContent()).toBe('orders');
    expect(await notebook.locator('.cell-source').allTextContents()).toContain('print("hi")');
    await screenshot(page, 'workspace-notebook');
    await page.goto('/#workspace/Shared/docs/readme.txt');
    await expect.poll(() => page.getByTestId('file-content').textContent()).toBe('plain <b>text</b>\n');
    expect(await page.locator('main b').count()).toBe(0);
    await page.close();
  });

  it('opens a table by deep link: columns, a preview under the viewer\'s grants, owner and effective grants with their origin', async () => {
    const page = await reader.newPage();
    await page.goto('/#table/main.sales.orders');
    await expect.poll(() => page.getByTestId('columns').textContent()).toContain('customer');
    expect(await page.getByTestId('columns').textContent()).toContain('order id');
    await expect.poll(() => page.getByTestId('result-table').locator('tbody tr').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByTestId('result-table').textContent()).toContain('ada');
    expect(await page.getByTestId('owner').textContent()).toBe('test@example.com');
    await expect.poll(() => page.getByTestId('grants').textContent()).toContain(READER);
    expect(await page.getByTestId('grants').textContent()).toMatch(/SELECT\s*schema main\.sales/);
    await screenshot(page, 'catalog-table');
    await page.close();
  });

  it('refuses the preview with the error code to a viewer without SELECT', async () => {
    await rows(ws, `REVOKE SELECT ON SCHEMA main.sales FROM \`${READER}\``);
    const page = await reader.newPage();
    await page.goto('/#table/main.sales.orders');
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 30_000 }).toContain('PERMISSION_DENIED');
    await rows(ws, `GRANT SELECT ON SCHEMA main.sales TO \`${READER}\``);
    await page.close();
  });

  it('lists a schema\'s tables and volumes and browses a volume', async () => {
    const page = await admin.newPage();
    await page.goto('/#catalog');
    await page.getByRole('link', { name: 'main' }).click();
    await page.getByRole('link', { name: 'sales' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('orders');
    await page.getByRole('link', { name: 'landing' }).click();
    await page.getByRole('link', { name: '2026/' }).click();
    await expect.poll(() => page.getByTestId('volume-list').textContent()).toContain('orders.csv');
    expect(page.url()).toContain('#volume/main.sales.landing/2026');
    await screenshot(page, 'catalog-volume');
    await page.close();
  });

  it('runs SQL with a parameter and shows errors with their code', async () => {
    const page = await reader.newPage();
    await page.goto('/#sql');
    await page.getByLabel('statement').fill('SELECT customer, amount FROM main.sales.orders WHERE amount > :min ORDER BY customer');
    await page.getByLabel('parameters').fill('min=15');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByTestId('result-table').locator('tbody tr').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('result-table').locator('tbody').textContent()).toBe('bob20.0');
    await screenshot(page, 'sql-editor');
    await page.getByLabel('statement').fill('SELECT * FROM main.sales.nope');
    await page.getByLabel('statement').press('Control+Enter');
    await expect.poll(() => page.getByTestId('statement-error').textContent(), { timeout: 30_000 }).toContain('TABLE_OR_VIEW_NOT_FOUND');
    await page.close();
  });

  it('fits a 420 px wide screen on every page', async () => {
    const narrow = await signedInContext(browser, ws.url, ws.token, { width: 420, height: 800 });
    const page = await narrow.newPage();
    for (const hash of ['#', '#workspace/Shared/docs', '#catalog/main/sales', '#table/main.sales.orders', '#sql', '#outbox']) {
      await page.goto('/' + hash);
      await expect.poll(() => page.getByTestId('me').textContent()).toBe('test@example.com');
      await expect.poll(() => horizontalOverflow(page), { message: `page ${hash} overflows` }).toBeLessThanOrEqual(0);
    }
    // the header keeps every navigation link on screen
    for (const link of await page.getByRole('navigation', { name: 'main' }).getByRole('link').all()) {
      const box = (await link.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(420);
    }
    await screenshot(page, 'narrow-outbox');
    await narrow.close();
  });
});
