import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

/**
 * A signed-in browser context: the token is put where the UI keeps it before any page loads, so
 * each test opens deep links directly. `viewport` lets a test check the narrow layout.
 */
export async function signedInContext(browser: Browser, baseUrl: string, token: string, viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  await context.addInitScript({ content: `localStorage.setItem('brickyard.token', ${JSON.stringify(token)});` });
  return context;
}

/** With BRICKYARD_SCREENSHOTS=<dir>, saves a full-page screenshot of each page a test looked at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env['BRICKYARD_SCREENSHOTS'];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** The page's content is no wider than its viewport (nothing clipped or scrolled sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate('document.documentElement.scrollWidth - window.innerWidth') as Promise<number>;
}

/** One attribute of every element the locator matches, in document order. */
export async function attributes(locator: Locator, name: string): Promise<Array<string | null>> {
  return Promise.all((await locator.all()).map((l) => l.getAttribute(name)));
}
