/**
 * Screenshots of the admin's settings, to look at them: the demo's admin signs in,
 * reads the users (adds one by invitation: the link; opens the deactivate
 * confirmation), the mailboxes with their health (edits one, sends a test email),
 * the organisation with its holidays, and the dev outbox (a message's HTML, text and
 * source); then the invitee's page, signed out. At 1280 and 390 px wide; PNGs go to
 * web/e2e/admin-settings-screenshots/. Chromium is Debian's; nothing is downloaded.
 *
 *   npx tsx web/e2e/admin-settings-screens.ts   a demo serve + Vite's dev server on it (no build needed)
 *
 * Exits non-zero on a console error or an uncaught page error.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { demoAdmin, launchChromium, reportProblems, signIn, startVite, watchProblems } from './support/screens.ts';
import { freePort, ROOT } from './support/serve.ts';

const OUT = join(ROOT, 'web', 'e2e', 'admin-settings-screenshots');

async function walk(browser: Browser, base: string, admin: { email: string; password: string }, width: number, problems: string[]) {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 800 }, deviceScaleFactor: 1, locale: 'en-GB' });
  context.setDefaultTimeout(120_000); // a machine shared with other work answers slowly
  const page = await context.newPage();
  watchProblems(page, problems, /Failed to load resource: the server responded with a status of (401|404|409)/);
  const shot = async (name: string, p: Page = page, fullPage = false) => {
    await p.waitForLoadState('networkidle');
    await p.screenshot({ path: join(OUT, `${name}-${width}.png`), animations: 'disabled', fullPage });
    console.log(`  ${name}-${width}.png  ${p.url().replace(base, '')}`);
  };

  await signIn(page, base, admin);
  await page.goto(`${base}/admin`);
  await page.getByRole('link', { name: /Users/ }).first().waitFor();
  await shot('01-admin-home');

  await page.goto(`${base}/admin/users`);
  await page.getByRole('table').waitFor();
  await shot('02-users', page, true);
  await page.getByRole('button', { name: 'Add user' }).click();
  const add = page.getByRole('dialog', { name: 'Add a user' });
  await add.getByLabel('Name').fill(`Ivy Invitee ${width}`);
  await add.getByLabel('Email').fill(`ivy${width}@demo.cadenza.dev`);
  await shot('03-add-user');
  await add.getByRole('button', { name: 'Add and get the link' }).click();
  const linkBox = page.getByRole('region', { name: /Invitation link for/ });
  await linkBox.waitFor();
  const inviteUrl = await linkBox.getByRole('textbox', { name: 'Invitation link' }).inputValue();
  await shot('04-invitation-link');
  await page.getByRole('button', { name: /^Deactivate/ }).first().click();
  await page.getByRole('dialog').waitFor();
  await shot('05-deactivate-confirm');
  await page.keyboard.press('Escape');

  await page.goto(`${base}/admin/mailboxes`);
  await page.getByRole('list', { name: 'Mailboxes' }).waitFor();
  await shot('06-mailboxes', page, true);
  await page.getByRole('button', { name: /^Edit/ }).first().click();
  await page.getByRole('dialog').waitFor();
  await shot('07-mailbox-edit');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /^Send a test email/ }).first().click();
  const test = page.getByRole('dialog', { name: 'Send a test email' });
  await test.getByRole('button', { name: 'Send test email' }).click();
  await test.getByText(/Nothing was sent|Sent\.|did not go out/).first().waitFor();
  await shot('08-test-email');
  await page.keyboard.press('Escape');

  await page.goto(`${base}/admin/organization`);
  await page.getByRole('form', { name: 'Workspace settings' }).waitFor();
  await shot('09-organization', page, true);

  await page.goto(`${base}/admin/outbox`);
  await page.getByRole('list', { name: 'Messages' }).waitFor();
  await shot('10-outbox');
  await page.getByRole('list', { name: 'Messages' }).getByRole('link').first().click();
  await page.getByRole('article').waitFor();
  await page.waitForTimeout(300);
  await shot('11-outbox-message', page, true);
  await page.getByRole('tab', { name: 'Text' }).click();
  await shot('12-outbox-text');

  // The invitee, signed out.
  const invitee = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 800 }, deviceScaleFactor: 1, locale: 'en-GB' });
  invitee.setDefaultTimeout(120_000);
  const p2 = await invitee.newPage();
  watchProblems(p2, problems, /Failed to load resource: the server responded with a status of (401|404)/);
  await p2.goto(inviteUrl.replace(/^https?:\/\/[^/]+/, base));
  await p2.getByLabel('Password', { exact: true }).waitFor();
  await shot('13-invite-page', p2);
  await p2.getByLabel('Password', { exact: true }).fill('a fine long password');
  await p2.getByRole('button', { name: 'Set password and sign in' }).click();
  await p2.waitForURL('**/today**');
  await shot('14-invitee-signed-in', p2);
  await p2.goto(inviteUrl.replace(/^https?:\/\/[^/]+/, base));
  await p2.getByRole('heading', { name: 'This invitation link does not work' }).waitFor();
  await shot('15-invite-used', p2);
  await invitee.close();
  await context.close();
}

/**
 * The demo serve, waited for as long as it takes: on a machine shared with other work its
 * first start (migrations, the demo's ten days of history) can outlast startDemo's 2 minutes.
 */
/** This process's environment with `set`, and without the clock and SMTP settings (the demo runs on the system clock, mail to the outbox). */
function serveEnv(set: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...set };
  for (const name of ['CADENZA_CLOCK', 'CADENZA_CLOCK_START', 'SMTP_URL']) delete env[name];
  return env;
}

async function startSlowDemo(publicUrl: string): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'cadenza-admin-screens-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'cadenza.mjs'), 'serve'], {
    cwd: ROOT,
    env: serveEnv({ DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: publicUrl, LOG_LEVEL: 'warn', CADENZA_DEMO: '1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (let waited = 0; !out.includes('Admin token'); waited += 500) {
    if (child.exitCode !== null || waited > 600_000) {
      await stop();
      throw new Error(`cadenza serve did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { url: `http://127.0.0.1:${port}`, output: () => out, stop };
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const vitePort = await freePort();
  // PUBLIC_URL is the page's origin (Vite's): sign-in from any other origin is refused.
  const serve = await startSlowDemo(`http://127.0.0.1:${vitePort}`);
  let vite: Awaited<ReturnType<typeof startVite>> | null = null;
  const browser = await launchChromium();
  const problems: string[] = [];
  try {
    vite = await startVite(vitePort, Number(new URL(serve.url).port));
    console.log(`admin settings screenshots of ${vite.base} → ${OUT}`);
    for (const width of [1280, 390]) await walk(browser, vite.base, demoAdmin(serve.output()), width, problems);
  } finally {
    reportProblems(problems);
    await browser.close();
    await vite?.server.close();
    await serve.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
