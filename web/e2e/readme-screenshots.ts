/**
 * The README's screenshots (docs/screenshots/*.png, 1440×900), taken the way a new user
 * first sees Cadenza: `cadenza serve` on a fresh embedded database with the demo
 * workspace (what `npm start` does), signed in as the first demo rep it prints, then
 * as the demo's admin (cadences, the builder with its preview, leads, a CSV import's
 * preview, a cadence's analytics).
 *
 *   npm run build:web && npx tsx web/e2e/readme-screenshots.ts
 *
 * Chromium is Debian's (/usr/bin/chromium, or CHROMIUM=…); nothing is downloaded. Exits
 * non-zero on a console error or an uncaught page error.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { demoAdmin, launchChromium, signIn, startDemo } from './support/screens.ts';
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
    const { context, page, shot } = await camera(browser, serve.url, rep.zone, problems);

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
    await context.close();

    await adminPages(browser, serve.url, demoAdmin(serve.output()), rep.email, problems);
  } finally {
    await browser.close();
    await serve.stop();
  }
  if (problems.length) {
    console.error(`console errors:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  }
}

/**
 * A 1440×900 page in `zone` whose console errors and page errors go to `problems`, and
 * `shot(name)`: docs/screenshots/<name>.png of the page once it has settled.
 */
async function camera(browser: Browser, base: string, zone: string | undefined, problems: string[]) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: 'en-US', timezoneId: zone });
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
    console.log(`  docs/screenshots/${name}.png  ${page.url().replace(base, '')}`);
  };
  return { context, page, shot };
}

/**
 * The admin's pages, as the demo's admin: the cadences, the first active cadence in the
 * builder with its preview for a lead, the leads, a CSV import's preview with a row it
 * leaves out (a dry run: nothing is written) and the cadence's analytics.
 */
async function adminPages(browser: Browser, base: string, admin: { email: string; password: string }, repEmail: string, problems: string[]) {
  const { context, page, shot } = await camera(browser, base, 'UTC', problems);
  await signIn(page, base, admin);
  const cadences = (await (await page.request.get(`${base}/api/cadences`)).json()).items as Array<{ id: string; status: string }>;
  const cadence = cadences.find((c) => c.status === 'active') ?? cadences[0];
  if (!cadence) throw new Error('the demo has no cadence');
  const leads = (await (await page.request.get(`${base}/api/leads?limit=5`)).json()).items as Array<{ id: string; firstName: string | null }>;
  const lead = leads.find((l) => l.firstName) ?? leads[0];

  await page.goto(`${base}/admin/cadences`);
  await page.getByRole('table').waitFor();
  await shot('admin-cadences');

  await page.goto(`${base}/admin/cadences/${cadence.id}${lead ? `?lead=${lead.id}` : ''}`);
  await page.getByRole('list', { name: 'Steps' }).waitFor();
  await page.getByRole('list', { name: 'Rendered steps' }).waitFor();
  await shot('admin-builder');

  await page.goto(`${base}/leads`);
  await page.getByRole('table').waitFor();
  await shot('admin-leads');

  await page.goto(`${base}/admin/leads/import`);
  const csv = [
    'E-mail,First Name,Last Name,Company Name,Owner,Job Title',
    `ines@alder.example,Ines,Alder,Alder & Co,${repEmail},CTO`,
    `jonas@birch.example,Jonas,Birch,Birch Labs,${repEmail},Head of Sales`,
    `not-an-email,Lars,Dunn,Dunn GmbH,${repEmail},CEO`,
    `maya@elm.example,Maya,Elm,Elm Studio,${repEmail},Founder`,
  ].join('\n');
  await page.locator('input[type=file]').setInputFiles({ name: 'spring-leads.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('table', { name: /Rows left out/ }).waitFor();
  await shot('admin-import');

  await page.goto(`${base}/admin/cadences/${cadence.id}/analytics`);
  await page.getByRole('table', { name: /funnel per step/i }).waitFor();
  await page.getByRole('img', { name: /Bar chart/ }).locator('svg').first().waitFor();
  await shot('admin-analytics');
  await context.close();
}

/** Opens a queue row's task in focus mode as the keyboard does: the row, then Enter. */
async function openTask(page: Page, row: Locator) {
  await row.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL('**focus=**');
}

await main();
