/**
 * Screenshots of the leads list, to look at it: the demo's admin opens /leads, searches,
 * filters by status, opens New lead with a taken email, selects a range of leads and
 * opens "Enrol in cadence…", and asks to delete a lead. At 1280 and 390 px wide; PNGs go
 * to web/e2e/leads-screenshots/.
 *
 *   npx tsx web/e2e/leads-screens.ts     a demo serve + Vite's dev server on it (no build needed)
 *
 * Exits non-zero on a console error, an uncaught page error, or a critical or serious
 * axe-core (WCAG 2 A/AA) violation on the list, the new-lead form or the delete confirm.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { axeProblems, signIn, walkDemoAsAdmin, watchProblems } from './support/screens.ts';
import { ROOT } from './support/serve.ts';

const OUT = join(ROOT, 'web', 'e2e', 'leads-screenshots');

async function walk(browser: Browser, base: string, admin: { email: string; password: string }, width: number, problems: string[]) {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 800 }, deviceScaleFactor: 1, locale: 'en-GB' });
  const page = await context.newPage();
  // The taken email's 409 is an answer the form shows, not a problem.
  watchProblems(page, problems, /Failed to load resource: the server responded with a status of (401|409)/);
  const shot = async (name: string, fullPage = false) => {
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(OUT, `${name}-${width}.png`), animations: 'disabled', fullPage });
    console.log(`  ${name}-${width}.png  ${page.url().replace(base, '')}`);
  };
  await signIn(page, base, admin);
  await page.goto(`${base}/leads`);
  await page.getByRole('table').waitFor();
  await shot('01-list');
  await axeProblems(page, `the list at ${width} px`, problems);

  await page.getByRole('searchbox').fill('a');
  await page.waitForURL('**q=a**');
  await page.getByRole('combobox', { name: 'Status' }).selectOption('New');
  await page.waitForURL('**leadStatus=New**');
  await page.getByRole('table').waitFor();
  await shot('02-search-and-filter');

  await page.getByRole('searchbox').fill('no such person zzz');
  await page.getByRole('heading', { name: 'No lead matches' }).waitFor();
  await shot('03-no-match');

  await page.goto(`${base}/leads`);
  const boxes = page.getByRole('checkbox', { name: /^Select (?!all)/ });
  await boxes.nth(0).click();
  await boxes.nth(3).click({ modifiers: ['Shift'] });
  await page.getByText('4 selected').waitFor();
  await shot('04-selected');
  await page.getByRole('button', { name: /Enrol in cadence/ }).click();
  await page.getByRole('dialog').waitFor();
  await shot('05-enrol-selected');
  await page.keyboard.press('Escape');

  const taken = ((await (await page.request.get(`${base}/api/leads?limit=1`)).json()) as { items: Array<{ email: string }> }).items[0]?.email;
  await page.getByRole('button', { name: /New lead/ }).click();
  const form = page.getByRole('dialog', { name: 'New lead' });
  await form.getByRole('textbox', { name: 'Email' }).fill((taken ?? '').toUpperCase());
  await form.getByRole('button', { name: 'Create lead' }).click();
  await form.getByText(/exists already/).waitFor();
  await shot('06-new-lead-taken-email');
  await axeProblems(page, `the new-lead form at ${width} px`, problems);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: /^Delete / }).first().click();
  await page.getByRole('dialog').waitFor();
  await shot('07-delete-confirm');
  await axeProblems(page, `the delete confirm at ${width} px`, problems);
  await context.close();
}

await walkDemoAsAdmin('leads list', OUT, walk);
