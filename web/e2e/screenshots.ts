/**
 * Screenshots of the web app's pages, to look at them: starts `cadenza serve` on an empty
 * embedded database (manual clock, no demo), walks setup → shell → settings → sign-out →
 * sign-in → a rep on an admin page, and writes PNGs to web/e2e/screenshots/.
 * Chromium is Debian's (/usr/bin/chromium, or CHROMIUM=…); nothing is downloaded.
 *
 *   npm run build:web && npx tsx web/e2e/screenshots.ts
 *
 * Exits non-zero on a console error or an uncaught page error (an expected 401, the
 * session probe before sign-in or a wrong password, is reported but allowed).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, reportProblems, watchProblems } from './support/screens.ts';
import { ROOT, startServe } from './support/serve.ts';

const OUT = join(ROOT, 'web', 'e2e', 'screenshots');
const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse battery' };
const REP = { name: 'Rita Rep', email: 'rita@example.com', password: 'staple battery horse' };

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  // An empty workspace (no demo) on a manual clock: the walk starts at setup.
  const server = await startServe({ CADENZA_DEMO: '0', CADENZA_CLOCK: 'manual' }, { postgres: false });
  const base = server.url;
  const browser = await launchChromium();
  const problems: string[] = [];
  const allowed: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    // The browser logs every 4xx answer (the session probe before sign-in, a wrong password): answers, not faults.
    watchProblems(page, problems, /Failed to load resource: the server responded with a status of 4\d\d/, allowed);
    const shot = async (name: string, p: Page = page) => {
      await p.waitForLoadState('networkidle');
      await p.screenshot({ path: join(OUT, `${name}.png`), animations: 'disabled' });
      console.log(`  ${name}.png  ${p.url().replace(base, '')}`);
    };

    console.log(`screenshots of ${base} → ${OUT}`);
    await page.goto(`${base}/today`);
    await page.waitForURL('**/setup');
    await shot('01-setup');
    await page.getByLabel('Your name').fill(ADMIN.name);
    await page.getByLabel('Work email').fill('not-an-email');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await shot('02-setup-errors');
    await page.getByLabel('Work email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await page.waitForURL('**/today');
    await shot('03-today-admin');

    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await shot('04-shortcuts');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: /Account:/ }).click();
    await page.getByRole('menu').waitFor();
    await shot('05-user-menu');
    await page.keyboard.press('Escape');

    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await page.waitForURL('**/settings');
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password').fill('a brand new password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Wrong password.').waitFor();
    await shot('06-settings-wrong-current');

    // A rep, created through the API as an admin would (the admin pages come with issue 13).
    const created = await page.evaluate(async (rep) => {
      const res = await fetch('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...rep, role: 'rep' }) });
      return res.status;
    }, REP);
    if (created !== 201) throw new Error(`creating the rep answered ${created}`);

    await page.goto(`${base}/leads`);
    await shot('07-leads-placeholder');
    await page.goto(`${base}/admin`);
    await shot('08-admin-as-admin');
    await page.goto(`${base}/no/such/page`);
    await shot('09-not-found');

    await page.getByRole('button', { name: /Account:/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await shot('10-sign-in');
    await page.getByLabel('Email').fill(REP.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await shot('11-sign-in-wrong');

    await page.goto(`${base}/admin`);
    await page.waitForURL('**/sign-in?**');
    await page.getByLabel('Email').fill(REP.email);
    await page.getByLabel('Password').fill(REP.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/admin');
    await shot('12-admin-as-rep');
    await page.goto(`${base}/today`);
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    if (focused !== 'Skip to content') problems.push(`the first Tab focuses "${focused}", not the skip link`);
    await shot('13-skip-link-focus');

    console.log(`allowed console messages: ${allowed.length}${allowed.length ? `\n    ${allowed.join('\n    ')}` : ''}`);
    reportProblems(problems);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
