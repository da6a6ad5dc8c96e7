/**
 * Screenshots of the lead page, to look at it: a rep of the demo workspace signs in, opens
 * the hot lead of their Today (opens, a click) and a lead whose cadence ended, and the
 * PNGs go to web/e2e/lead-screenshots/ (1440x900 and 390 wide; the timeline, its filter
 * chips, the exit confirmation, a lead that is not theirs, the `?` list).
 * Chromium is Debian's (/usr/bin/chromium, or CHROMIUM=…); nothing is downloaded.
 *
 *   npm run build:web && npx tsx web/e2e/lead-screens.ts
 *   BASE_URL=http://127.0.0.1:5199 REP_EMAIL=… REP_PASSWORD=… npx tsx web/e2e/lead-screens.ts   (a running demo, e.g. vite dev)
 *
 * Without BASE_URL it starts `cadenza serve` on an empty embedded database, which fills
 * the demo workspace and prints its users' passwords. Exits non-zero on a console error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'web', 'e2e', 'lead-screenshots');

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => ok(port));
    }).on('error', fail);
  });
}

/** Starts a demo serve and reads the first rep's email and password from what it prints. */
async function startDemo(port: number, dataDir: string): Promise<{ child: ChildProcess; email: string; password: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'cadenza.mjs'), 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`cadenza serve exited with ${child.exitCode}:\n${out}`);
    const rep = /rep\s+(\S+@\S+)\s+password\s+(\S+)/.exec(out);
    if (rep) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return { child, email: rep[1]!, password: rep[2]! };
      } catch { /* not listening yet */ }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the demo did not print a rep's password within 120 s:\n${out}`);
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  let server: ChildProcess | null = null;
  let dataDir: string | null = null;
  let base = process.env.BASE_URL;
  let email = process.env.REP_EMAIL;
  let password = process.env.REP_PASSWORD;
  if (!base) {
    dataDir = mkdtempSync(join(tmpdir(), 'cadenza-lead-shots-'));
    const port = await freePort();
    const demo = await startDemo(port, dataDir);
    server = demo.child;
    base = `http://localhost:${port}`;
    email = demo.email;
    password = demo.password;
  }
  if (!email || !password) throw new Error('REP_EMAIL and REP_PASSWORD are needed with BASE_URL');

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const problems: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error' && message.type() !== 'warning') return;
      // The browser logs every 4xx answer (the session probe, the lead that is not ours): answers, not faults.
      if (/Failed to load resource: the server responded with a status of (401|404)/.test(message.text())) return;
      problems.push(`${message.type()}: ${message.text()} (${message.location().url})`);
    });
    const shot = async (name: string, p: Page = page, fullPage = false) => {
      await p.waitForLoadState('networkidle');
      await p.screenshot({ path: join(OUT, `${name}.png`), animations: 'disabled', fullPage });
      console.log(`  ${name}.png  ${p.url().replace(base!, '')}`);
    };

    console.log(`lead page screenshots of ${base} → ${OUT}`);
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/today**');

    // The hot lead of the rep's day (opens and a click), and a lead whose enrolment ended (on a reply if one did).
    const get = async (path: string) => (await page.request.get(`${base}${path}`)).json();
    const tasks = await get('/api/tasks?due=today&sort=priority&limit=20');
    const exited = await get('/api/enrollments?status=exited&limit=50');
    const ids = { hot: tasks.items[0]?.recordId as string | undefined, ended: (exited.items.find((e: { exitReason?: string }) => e.exitReason === 'replied') ?? exited.items[0])?.recordId as string | undefined };
    if (!ids.hot) throw new Error('the rep has no task today: the demo should have given them one');

    await page.goto(`${base}/leads/${ids.hot}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('list', { name: 'Enrolments' }).waitFor();
    await shot('01-lead-overview-1440');

    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.waitForURL('**tab=timeline**');
    await shot('02-lead-timeline-1440', page, true);

    await page.getByRole('button', { name: 'Opens', exact: true }).click();
    await page.waitForURL('**show=opens**');
    await shot('03-timeline-filter-opens');
    await page.getByRole('button', { name: 'Clicks', exact: true }).click();
    await shot('04-timeline-filter-opens-clicks');

    await page.goto(`${base}/leads/${ids.hot}`);
    await page.getByRole('list', { name: 'Enrolments' }).waitFor();
    await page.getByRole('button', { name: 'Exit' }).first().click();
    await page.getByRole('dialog').waitFor();
    await page.getByText(/queued\)|none queued/).waitFor();
    await shot('05-exit-confirm');
    await page.keyboard.press('Escape');

    await page.keyboard.press('e');
    await page.getByRole('form', { name: 'Edit lead fields' }).waitFor();
    await page.getByLabel('Email').fill('not an email');
    await page.getByRole('button', { name: 'Save' }).click();
    await shot('06-fields-edit-error');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await shot('07-shortcuts');
    await page.keyboard.press('Escape');

    if (ids.ended) {
      await page.goto(`${base}/leads/${ids.ended}`);
      await page.getByRole('list', { name: 'Enrolments' }).waitFor();
      await shot('08-lead-ended-enrolment', page, true);
    }

    await page.goto(`${base}/leads/00000000-0000-4000-8000-000000000000`);
    await page.getByText('Lead not found or not yours').waitFor();
    await shot('09-lead-not-found');

    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(`${base}/leads/${ids.hot}`);
    await page.getByRole('list', { name: 'Enrolments' }).waitFor();
    await shot('10-lead-overview-768', page, true);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/leads/${ids.hot}`);
    await page.getByRole('list', { name: 'Enrolments' }).waitFor();
    await shot('11-lead-overview-390', page, true);
    await page.goto(`${base}/leads/${ids.hot}?tab=timeline`);
    await page.getByRole('group', { name: 'Show only' }).waitFor();
    await shot('12-lead-timeline-390', page, true);

    if (problems.length) {
      console.error(`console problems:\n    ${problems.join('\n    ')}`);
      process.exitCode = 1;
    } else {
      console.log('no console errors');
    }
  } finally {
    await browser.close();
    if (server) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
