/**
 * Screenshots of Today, to look at it: a rep of the demo workspace signs in and works
 * the queue (hot first, the overdue tab and its bulk bar, reschedule), focus mode on a
 * call (outcomes that end the cadence, snooze), on a manual email (a merge field the
 * server finds without a value blocks the send), the `?` list, and "pause my cadences"
 * with its banner. PNGs go to web/e2e/today-screenshots/ (1440x900 and 820 wide).
 * Chromium is Debian's (/usr/bin/chromium, or CHROMIUM=…); nothing is downloaded.
 *
 *   npx tsx web/e2e/today-screens.ts                 a demo serve + Vite's dev server on it (no build needed)
 *   BASE_URL=http://127.0.0.1:5199 REP_EMAIL=… REP_PASSWORD=… npx tsx web/e2e/today-screens.ts   (a running demo)
 *
 * Exits non-zero on a console error or an uncaught page error.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, reportProblems, signIn, startDemo, startVite, watchProblems } from './support/screens.ts';
import { freePort, ROOT, type Serve } from './support/serve.ts';

const OUT = join(ROOT, 'web', 'e2e', 'today-screenshots');

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  let demo: Serve | null = null;
  let vite: { close: () => Promise<void> } | null = null;
  let base = process.env.BASE_URL;
  let email = process.env.REP_EMAIL;
  let password = process.env.REP_PASSWORD;
  if (!base) {
    const vitePort = await freePort();
    // PUBLIC_URL is the page's origin (Vite's): sign-in from any other origin is refused.
    const started = await startDemo({ PUBLIC_URL: `http://127.0.0.1:${vitePort}` });
    demo = started.serve;
    ({ email, password } = started.rep);
    const dev = await startVite(vitePort, Number(new URL(demo.url).port));
    vite = dev.server;
    base = dev.base;
  }
  if (!email || !password) throw new Error('REP_EMAIL and REP_PASSWORD are needed with BASE_URL');

  const browser = await launchChromium();
  const problems: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: 'en-GB' });
    const page = await context.newPage();
    // The browser logs every 4xx answer (the session probe, the refused send): answers, not faults.
    watchProblems(page, problems, /Failed to load resource: the server responded with a status of (401|404|422)/);
    const shot = async (name: string, p: Page = page, fullPage = false) => {
      await p.waitForLoadState('networkidle');
      await p.screenshot({ path: join(OUT, `${name}.png`), animations: 'disabled', fullPage });
      console.log(`  ${name}.png  ${p.url().replace(base!, '')}`);
    };
    const tab = (name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) });

    console.log(`Today screenshots of ${base} → ${OUT}`);
    await signIn(page, base, { email, password });
    await page.getByRole('table').waitFor();
    await shot('01-today-1440');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await shot('01b-shortcuts-today');
    await page.keyboard.press('Escape');

    // The overdue tab: select with x, a range with shift+x, then reschedule them together.
    await tab('Overdue').click();
    await page.waitForURL('**due=overdue**');
    await page.getByRole('table').waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('Shift+X');
    await page.getByRole('region', { name: 'Bulk actions' }).waitFor();
    await shot('02-overdue-bulk-bar');
    await page.getByRole('button', { name: 'Reschedule to…' }).click();
    await page.getByRole('dialog').waitFor();
    await shot('03-bulk-reschedule');
    await page.getByRole('dialog').getByRole('button', { name: /^Reschedule to/ }).click();
    await page.getByRole('status').filter({ hasText: 'Rescheduled' }).first().waitFor();
    await shot('04-bulk-result');

    // Focus mode on today's first call: Enter on the row.
    await tab('Today').click();
    await page.getByRole('table').waitFor();
    const callRow = page.locator('tr', { has: page.getByText(/^Call:/) }).first();
    await callRow.click();
    await page.keyboard.press('Enter');
    await page.waitForURL('**focus=**');
    await page.getByRole('group', { name: 'Call outcome' }).waitFor();
    await page.getByText(/Ends the cadence|The cadence goes on/).first().waitFor();
    await shot('05-focus-call');
    await page.keyboard.press('z');
    await page.getByRole('dialog', { name: 'Snooze until' }).waitFor();
    await shot('06-focus-snooze');
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await shot('07-shortcuts-focus-mode');
    await page.keyboard.press('Escape');

    // A call with an outcome and a note: focus moves to the next task.
    await page.getByLabel('Note').fill('Spoke to the assistant; call back Thursday.');
    await page.getByLabel('Note').press('Escape');
    const before = page.url();
    await page.keyboard.press('3');
    await page.waitForURL((url) => url.href !== before);
    await page.getByRole('status').filter({ hasText: 'No answer' }).first().waitFor();
    await shot('08-after-outcome');

    // The manual email: a merge field without a value for this lead blocks the send.
    await page.keyboard.press('Escape');
    await page.getByRole('table').waitFor();
    const emailRow = page.locator('tr', { has: page.getByText(/^Manual email:/) }).first();
    await emailRow.click();
    await page.keyboard.press('Enter');
    await page.getByRole('form', { name: 'Manual email' }).waitFor();
    await shot('09-focus-email');
    const original = await page.getByLabel('Body').inputValue();
    await page.keyboard.press('e');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n\nPS: how is {{ lead.title }} treating you?');
    await page.keyboard.press('Control+Enter');
    await page.getByText(/no value for this lead/).waitFor();
    await shot('10-email-blocked');
    await page.getByLabel('Body').fill(`${original}\n\nPS: how is the new role treating you?`);
    await page.getByText(/no value for this lead/).waitFor({ state: 'detached' });
    await shot('11-email-unblocked');
    // Sent from the rep's mailbox: the task leaves the queue and the next one shows.
    const emailUrl = page.url();
    await page.getByLabel('Body').press('Control+Enter');
    await page.waitForURL((url) => url.href !== emailUrl);
    await page.getByRole('status').filter({ hasText: 'Sent from' }).first().waitFor();
    await page.locator('#focus-task-title').waitFor();
    await shot('11b-email-sent');

    // Pause my cadences: the dialog, then the banner while it runs, then back early.
    // (from Settings, which links to the dialog on Today)
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.getByRole('table').waitFor();
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await page.waitForURL('**/settings');
    await page.getByRole('link', { name: 'Pause my cadences…' }).click();
    await page.getByRole('dialog', { name: 'Pause my cadences' }).waitFor();
    await shot('12-time-off-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Pause my cadences' }).click();
    await page.getByText(/Your cadences are paused until/).waitFor();
    await shot('13-time-off-banner');
    await page.getByRole('button', { name: 'End time off now' }).click();
    await page.getByText(/Your cadences are paused until/).waitFor({ state: 'detached' });

    // A narrow window (a tablet upright): fewer columns, the lead's panel under the task.
    await page.setViewportSize({ width: 820, height: 1000 });
    await page.goto(`${base}/today`);
    await page.getByRole('table').waitFor();
    await shot('14-today-820', page, true);
    await page.getByRole('table').locator('tbody tr').first().click();
    await page.keyboard.press('Enter');
    await page.waitForURL('**focus=**');
    await page.locator('#focus-task-title').waitFor();
    await shot('15-focus-820', page, true);

    reportProblems(problems);
  } finally {
    await browser.close();
    await vite?.close();
    await demo?.stop();
  }
}

await main();
