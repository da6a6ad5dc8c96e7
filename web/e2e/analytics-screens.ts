/**
 * Screenshots of a cadence's analytics, to look at them: the demo's admin signs in and
 * opens the analytics of the demo's outbound cadence (ten days of history): the page
 * (last 30 days), the leads behind a number, a custom range, one rep. At 1280 and 390 px
 * wide; PNGs go to web/e2e/analytics-screenshots/. axe-core checks the page and the list.
 * Chromium is Debian's (/usr/bin/chromium, or CHROMIUM=…); nothing is downloaded.
 *
 *   npx tsx web/e2e/analytics-screens.ts        a demo serve + Vite's dev server on it (no build needed)
 *
 * Exits non-zero on a console error or an uncaught page error.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { checkAxe, signIn, walkDemoAsAdmin, watchProblems } from './support/screens.ts';
import { ROOT } from './support/serve.ts';

const OUT = join(ROOT, 'web', 'e2e', 'analytics-screenshots');

async function walk(browser: Browser, base: string, admin: { email: string; password: string }, width: number, problems: string[]) {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 800 }, deviceScaleFactor: 1, locale: 'en-GB' });
  const page = await context.newPage();
  watchProblems(page, problems, /Failed to load resource: the server responded with a status of (401|404)/);
  const shot = async (name: string, p: Page = page, fullPage = false) => {
    await p.waitForLoadState('networkidle');
    await p.screenshot({ path: join(OUT, `${name}-${width}.png`), animations: 'disabled', fullPage });
    console.log(`  ${name}-${width}.png  ${p.url().replace(base, '')}`);
  };

  await signIn(page, base, admin);
  const cadences = (await (await page.request.get(`${base}/api/cadences`)).json()).items as Array<{ id: string; name: string }>;
  const outbound = cadences.find((c) => c.name === 'Outbound: new leads') ?? cadences[0];
  await page.goto(`${base}/admin/cadences/${outbound.id}/analytics`);
  await page.getByRole('table', { name: /funnel per step/i }).waitFor();
  await page.getByRole('img', { name: /Bar chart/ }).locator('svg').first().waitFor();
  await shot('01-analytics', page, true);
  await checkAxe(page, `analytics at ${width}`, problems);

  await page.getByRole('table', { name: /funnel per step/i }).getByRole('link').first().click();
  await page.getByRole('dialog').getByRole('list').waitFor();
  await shot('02-leads-behind-a-number');
  await checkAxe(page, `leads behind a number at ${width}`, problems);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Custom' }).click();
  await page.getByRole('textbox', { name: 'From' }).fill('2020-01-01');
  await shot('03-custom-range-too-long');
  await page.getByRole('button', { name: 'Last 7 days' }).click();
  await page.getByRole('combobox', { name: 'Rep' }).selectOption({ label: 'Riley Rep' });
  await page.waitForURL('**rep=**');
  await page.getByRole('table', { name: /funnel per step/i }).waitFor();
  await shot('04-one-rep-last-7-days', page, true);
  await context.close();
}

walkDemoAsAdmin('analytics', OUT, walk).catch((error) => {
  console.error(error);
  process.exit(1);
});
