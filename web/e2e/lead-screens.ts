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
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, reportProblems, signIn, startDemo, watchProblems } from './support/screens.ts';
import { ROOT, type Serve } from './support/serve.ts';

const OUT = join(ROOT, 'web', 'e2e', 'lead-screenshots');

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  let serve: Serve | null = null;
  let base = process.env.BASE_URL;
  let email = process.env.REP_EMAIL;
  let password = process.env.REP_PASSWORD;
  if (!base) {
    const demo = await startDemo();
    serve = demo.serve;
    base = serve.url;
    ({ email, password } = demo.rep);
  }
  if (!email || !password) throw new Error('REP_EMAIL and REP_PASSWORD are needed with BASE_URL');

  const browser = await launchChromium();
  const problems: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    // The browser logs every 4xx answer (the session probe, the lead that is not ours): answers, not faults.
    watchProblems(page, problems, /Failed to load resource: the server responded with a status of (401|404)/);
    const shot = async (name: string, p: Page = page, fullPage = false) => {
      await p.waitForLoadState('networkidle');
      await p.screenshot({ path: join(OUT, `${name}.png`), animations: 'disabled', fullPage });
      console.log(`  ${name}.png  ${p.url().replace(base!, '')}`);
    };

    console.log(`lead page screenshots of ${base} → ${OUT}`);
    await signIn(page, base, { email, password });

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

    reportProblems(problems);
  } finally {
    await browser.close();
    await serve?.stop();
  }
}

await main();
