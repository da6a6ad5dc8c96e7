/**
 * The README's screenshots (docs/screenshots/*.png, 1440×900), taken the way a new user
 * first sees Cadenza: `cadenza serve` on a fresh embedded database with the demo
 * workspace (what `npm start` does), signed in as the first demo rep it prints.
 *
 *   npm run build:web && npx tsx web/e2e/readme-screenshots.ts
 *
 * Chromium is Debian's (/usr/bin/chromium, or CHROMIUM=…); nothing is downloaded. Exits
 * non-zero on a console error or an uncaught page error.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchChromium, signIn, startDemo } from './support/screens.ts';
import { ROOT } from './support/serve.ts';

const OUT = join(ROOT, 'docs', 'screenshots');

async function main() {
  mkdirSync(OUT, { recursive: true });
  // The demo fills an empty database as `npm start` does: system clock, mail to the dev outbox.
  const { serve, rep } = await startDemo();
  const browser = await launchChromium();
  const problems: string[] = [];
  try {
    // The rep's browser in the rep's zone, as a rep at work would have it.
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: 'en-US', timezoneId: rep.zone });
    context.on('console', (message) => {
      if (message.type() !== 'error') return;
      // The browser logs the session probe's 401 before sign-in: an answer, not a fault.
      if (/status of 401/.test(message.text()) && message.location().url.endsWith('/api/users/me')) return;
      problems.push(`${message.text()} (${message.location().url})`);
    });
    context.on('weberror', (error) => problems.push(`page error: ${error.error().message}`));
    const page = await context.newPage();
    const shot = async (name: string) => {
      await page.waitForLoadState('networkidle');
      // Every part of the page shown, not its loading spinners (the lead panel loads after the task).
      await page.waitForFunction(() => !document.querySelector('main .animate-spin'), undefined, { timeout: 30_000 });
      // Let transitions and toasts' entrance settle; the caret would blink into the picture.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.screenshot({ path: join(OUT, `${name}.png`), animations: 'disabled', caret: 'hide' });
      console.log(`  docs/screenshots/${name}.png  ${page.url().replace(serve.url, '')}`);
    };

    console.log(`README screenshots of ${serve.url} as ${rep.email} → ${OUT}`);
    await signIn(page, serve.url, rep, { submit: false });
    await shot('sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/today');

    const queue = page.getByRole('table');
    await queue.locator('tbody tr').first().waitFor();
    await shot('today');
    const firstLead = await queue.locator('tbody tr').first().locator('a[href^="/leads/"]').getAttribute('href');

    await openTask(page, queue.locator('tbody tr', { hasText: 'Call:' }).first());
    await page.getByRole('group', { name: 'Call outcome' }).waitFor();
    await page.getByText(/Ends the cadence|The cadence goes on/).first().waitFor();
    await shot('focus-call');

    await page.goto(`${serve.url}/today`);
    await openTask(page, queue.locator('tbody tr', { hasText: 'Manual email:' }).first());
    await page.getByRole('form', { name: 'Manual email' }).getByLabel('Body').waitFor();
    await shot('focus-email');

    await page.goto(`${serve.url}${firstLead}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByText('Recent activity').waitFor();
    await shot('lead');
  } finally {
    await browser.close();
    await serve.stop();
  }
  if (problems.length) {
    console.error(`console errors:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  }
}

/** Opens a queue row's task in focus mode as the keyboard does: the row, then Enter. */
async function openTask(page: Page, row: Locator) {
  await row.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL('**focus=**');
}

await main();
