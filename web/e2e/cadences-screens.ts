/**
 * Screenshots of the admin's cadences list and the enrol-with-preflight dialog, to look
 * at them: the demo's admin signs in, reads the list (filtered by status), opens a row's
 * actions and the archive confirmation, enrols leads matching a search into a cadence
 * (the preflight: who starts, who waits, who is refused, by name; then the result),
 * clones a cadence and deletes the draft copy. At 1280 and 390 px wide; PNGs go to web/e2e/cadences-screenshots/.
 * Chromium is Debian's (/usr/bin/chromium, or CHROMIUM=…); nothing is downloaded.
 *
 *   npx tsx web/e2e/cadences-screens.ts        a demo serve + Vite's dev server on it (no build needed)
 *
 * Exits non-zero on a console error, an uncaught page error, or a critical or serious
 * axe-core (WCAG 2 A/AA) violation on the list or the enrolment check (not with the
 * actions menu open: Radix hides the page from assistive tech while its modal menu traps
 * focus, which axe reports as aria-hidden-focus).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { checkAxe, signIn, walkDemoAsAdmin, watchProblems } from './support/screens.ts';
import { ROOT } from './support/serve.ts';

const OUT = join(ROOT, 'web', 'e2e', 'cadences-screenshots');

async function walk(browser: Browser, base: string, admin: { email: string; password: string }, width: number, problems: string[]) {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 800 }, deviceScaleFactor: 1, locale: 'en-GB' });
  const page = await context.newPage();
  watchProblems(page, problems, /Failed to load resource: the server responded with a status of (401|404|409|422)/);
  const shot = async (name: string, p: Page = page) => {
    await p.waitForLoadState('networkidle');
    await p.screenshot({ path: join(OUT, `${name}-${width}.png`), animations: 'disabled' });
    console.log(`  ${name}-${width}.png  ${p.url().replace(base, '')}`);
  };

  await signIn(page, base, admin);
  await page.goto(`${base}/admin/cadences`);
  await page.getByRole('table').waitFor();
  await shot('01-cadences');
  await checkAxe(page, `the cadences list at ${width} px`, problems);

  await page.getByRole('radio', { name: /^Active/ }).click();
  await page.waitForURL('**status=active**');
  await shot('02-cadences-active');
  await page.getByRole('radio', { name: /^Archived/ }).click();
  await page.waitForURL('**status=archived**');
  await shot('03-cadences-archived');
  await page.getByRole('radio', { name: /^All/ }).click();

  const firstMenu = page.getByRole('button', { name: /^Actions for / }).first();
  await firstMenu.click();
  await page.getByRole('menu').waitFor();
  await shot('04-row-actions');
  await page.getByRole('menuitem', { name: 'Archive…' }).click();
  await page.getByRole('dialog').waitFor();
  await shot('05-archive-confirm');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // Enrol leads matching a search into the first (active) cadence: the preflight first.
  await firstMenu.click();
  await page.getByRole('menuitem', { name: 'Enrol leads…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Enrol leads' });
  await dialog.waitFor();
  await shot('06-enrol-which-leads');
  await dialog.getByLabel('Leads matching').fill('a');
  await dialog.getByRole('button', { name: 'Check these leads' }).click();
  await dialog.getByText(/enrolled and start now|could not be checked/).first().waitFor();
  await shot('07-enrol-preflight');
  await checkAxe(page, `the enrolment check at ${width} px`, problems);
  const commit = dialog.getByRole('button', { name: /^(Enrol|Nobody to enrol)/ });
  if (width > 500 && await commit.isEnabled()) {
    await commit.click();
    await dialog.getByRole('button', { name: 'Done' }).waitFor();
    await shot('08-enrol-result');
    await dialog.getByRole('button', { name: 'Done' }).click();
  } else {
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  }
  await dialog.waitFor({ state: 'detached' });

  if (width > 500) {
    // Clone the first cadence (a draft copy), then delete that draft: only a draft offers it.
    const name = (await page.getByRole('row').nth(1).getAttribute('aria-label'))!;
    await firstMenu.click();
    await page.getByRole('menuitem', { name: 'Clone as a draft' }).click();
    await page.getByRole('status').filter({ hasText: 'Cloned as' }).first().waitFor();
    const copy = page.getByRole('row').filter({ has: page.getByText('Draft', { exact: true }) }).first();
    const copyName = (await copy.getAttribute('aria-label'))!;
    console.log(`  cloned “${name}” as “${copyName}”`);
    await shot('10-cloned');
    await page.getByRole('button', { name: `Actions for ${copyName}` }).click();
    await page.getByRole('menuitem', { name: 'Delete draft…' }).click();
    await page.getByRole('dialog').waitFor();
    await shot('11-delete-draft-confirm');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete draft' }).click();
    await page.getByRole('row', { name: copyName }).waitFor({ state: 'detached' });
  }

  await page.getByRole('button', { name: /New cadence/ }).first().click();
  await page.getByRole('dialog', { name: 'New cadence' }).waitFor();
  await shot('09-new-cadence');
  await page.keyboard.press('Escape');
  await context.close();
}

walkDemoAsAdmin('cadences', OUT, walk).catch((error) => {
  console.error(error);
  process.exit(1);
});
