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
import { chromium, type Locator, type Page } from 'playwright-core';
import { ROOT, startServe } from './support/serve.ts';

const OUT = join(ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** The first rep the demo printed: `  rep   riley@demo.cadenza.dev  password …  6 tasks due today …, in America/New_York`. */
function demoRep(output: string): { email: string; password: string; zone: string | undefined } {
  const m = /^\s*rep\s+(\S+@\S+)\s+password\s+(\S+)(.*)$/m.exec(output);
  if (!m) throw new Error(`no demo rep in the serve's output:\n${output}`);
  return { email: m[1]!, password: m[2]!, zone: /\bin ([A-Za-z_]+\/[A-Za-z_/]+)\s*$/.exec(m[3]!)?.[1] };
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  // The demo fills an empty database as `npm start` does: system clock, mail to the dev outbox.
  // (undefined: left out of the environment)
  const serve = await startServe({ CADENZA_DEMO: '1', CADENZA_CLOCK: undefined, CADENZA_CLOCK_START: undefined, SMTP_URL: undefined }, { postgres: false });
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  const problems: string[] = [];
  try {
    const rep = demoRep(await serve.printed('Admin token'));
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
    await page.goto(`${serve.url}/sign-in`);
    await page.getByLabel('Email').fill(rep.email);
    await page.getByLabel('Password').fill(rep.password);
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
