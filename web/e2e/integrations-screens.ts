/**
 * Screenshots of the admin's integrations, to look at them: a demo serve on the manual
 * clock and a local receiver with three endpoints (a CRM that answers 204, a "Zapier"
 * that answers 500, a legacy one that answers 500 and then 410 Gone). The clock moves in
 * steps, so the demo's cadences make events and the dispatcher delivers, retries, gives
 * up and disables; the browser's clock is then set to the server's. Pictured: the
 * endpoints, the add dialog (an error, then the secret shown once), the rotate and delete
 * confirmations, the delivery logs (all, failed with a delivery open, a disabled
 * endpoint's), and the bookings page (Cal.com connected and having received a booking).
 * At 1280 and 390 px wide; PNGs go to web/e2e/integrations-screenshots/.
 *
 *   npx tsx web/e2e/integrations-screens.ts     a demo serve + Vite's dev server on it (no build needed)
 *
 * Exits non-zero on a console error, an uncaught page error, or a critical or serious
 * axe-core (WCAG 2 A/AA) violation on the pages.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { WebhookReceiver } from '../../test/support/webhook-receiver.ts';
import { Api } from './support/api.ts';
import { checkAxe, demoAdmin, launchChromium, reportProblems, signIn, startDemo, startVite, watchProblems } from './support/screens.ts';
import { freePort, ROOT } from './support/serve.ts';

const OUT = join(ROOT, 'web', 'e2e', 'integrations-screenshots');

interface Scene { crmId: string; zapierId: string; legacyId: string; now: string }

/** Demo leads enrolled into an active demo cadence: an `enrollment.created` event each, at once. */
async function enrolSome(api: Api, n: number, skip: number): Promise<void> {
  const cadences = await api.get<{ items: Array<{ id: string; status: string }> }>('/api/cadences');
  const cadence = cadences.items.find((c) => c.status === 'active');
  const leads = await api.get<{ items: Array<{ id: string; enrollmentCount: number }> }>('/api/leads?limit=100');
  const free = leads.items.filter((l) => l.enrollmentCount === 0).slice(skip, skip + n);
  if (!cadence || free.length === 0) throw new Error('the demo has no active cadence or no lead free to enrol');
  const answer = await api.call<{ enrolled: unknown[]; rejected: unknown[] }>('POST', `/api/cadences/${cadence.id}/enrollments`, { recordIds: free.map((l) => l.id) });
  console.log(`  enrolled ${answer.enrolled.length} demo leads (${answer.rejected.length} refused)`);
}

/**
 * Three endpoints; leads enrolled (events at once); the clock moved in steps so that each
 * attempt of the retry schedule runs (the first deliveries to "Zapier" are given up), then
 * one more enrolment, so the log also has deliveries still being retried.
 */
async function prepare(api: Api, receiver: WebhookReceiver): Promise<Scene> {
  const crm = await api.post<{ id: string }>('/api/webhooks', { url: receiver.url('crm', { kind: 'answer', status: 204 }), events: ['enrollment.created', 'enrollment.exited', 'enrollment.completed', 'email.sent', 'email.opened', 'email.clicked', 'email.replied', 'email.bounced', 'lead.unsubscribed', 'task.created', 'task.completed'], description: 'CRM sync' }, 201);
  const zapier = await api.post<{ id: string }>('/api/webhooks', { url: receiver.url('zapier', { kind: 'answer', status: 500, body: '{"status":"error","message":"upstream timed out"}' }), events: ['enrollment.created', 'email.sent', 'email.replied', 'task.created'], description: 'Zapier: enrolments, emails and tasks' }, 201);
  const legacy = await api.post<{ id: string }>('/api/webhooks', { url: receiver.url('legacy', { kind: 'answer', status: 500, body: 'Internal Server Error' }), events: ['enrollment.created', 'task.created', 'task.completed'] }, 201);
  let now = '';
  const move = async (by: string) => {
    now = (await api.advanceClock(by)).now;
    console.log(`  clock +${by} → ${now}; received: crm ${receiver.of('crm').length}, zapier ${receiver.of('zapier').length}, legacy ${receiver.of('legacy').length}`);
  };
  await enrolSome(api, 2, 0);
  await move('PT1M');
  receiver.behave('legacy', { kind: 'answer', status: 410, body: 'This hook was removed' });
  // 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (each ±20 %): a pass after each wait.
  for (const by of ['PT10S', 'PT10M', 'PT40M', 'PT3H', 'PT7H', 'PT13H', 'PT13H']) await move(by);
  await enrolSome(api, 2, 2);
  await move('PT1M');
  await move('PT10S');
  return { crmId: crm.id, zapierId: zapier.id, legacyId: legacy.id, now };
}

/** A Cal.com booking by one of the demo's leads, signed as Cal.com signs (hex HMAC-SHA256 of the raw body). */
async function calcomBooking(base: string, api: Api, secret: string) {
  const leads = await api.get<{ items: Array<{ email: string | null }> }>('/api/leads?limit=5');
  const email = leads.items.find((l) => l.email)?.email;
  if (!email) return;
  const body = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'bookings', 'calcom-booking-created.json'), 'utf8'));
  body.payload.attendees[0].email = email;
  const raw = JSON.stringify(body);
  const res = await fetch(`${base}/api/integrations/calcom`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-cal-signature-256': createHmac('sha256', secret).update(raw).digest('hex') },
    body: raw,
  });
  console.log(`  a Cal.com booking by ${email}: ${res.status} ${await res.text()}`);
}

async function walk(browser: Browser, base: string, admin: { email: string; password: string }, scene: Scene, width: number, problems: string[]) {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 800 }, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(120_000);
  const page = await context.newPage();
  // The server's clock was moved: the page counts "retrying in…" from the same instant.
  await page.clock.install({ time: new Date(scene.now) });
  watchProblems(page, problems, /Failed to load resource: the server responded with a status of (401|404|409)/);
  const shot = async (name: string, fullPage = false) => {
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(OUT, `${name}-${width}.png`), animations: 'disabled', fullPage });
    console.log(`  ${name}-${width}.png  ${page.url().replace(base, '')}`);
  };

  await signIn(page, base, admin);
  await page.goto(`${base}/admin/webhooks`);
  await page.getByRole('list', { name: 'Endpoints' }).waitFor();
  await shot('01-webhooks', true);
  if (width === 1280) await page.screenshot({ path: join(ROOT, 'docs', 'screenshots', 'admin-webhooks.png'), animations: 'disabled' });
  await checkAxe(page, `the webhooks page at ${width} px`, problems);

  await page.getByRole('button', { name: 'Add endpoint' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add an endpoint' });
  await dialog.getByLabel('URL').fill('hooks.example.com/cadenza');
  await dialog.getByRole('checkbox', { name: 'All events' }).click();
  await dialog.getByRole('button', { name: 'Add endpoint' }).click();
  await dialog.getByText('Choose at least one event.').waitFor();
  await shot('02-add-endpoint-errors');
  await checkAxe(page, `the add-endpoint dialog at ${width} px`, problems);
  await dialog.getByLabel('URL').fill(`https://hooks.example.com/cadenza/${width}`);
  await dialog.getByRole('checkbox', { name: 'All Emails' }).click();
  await dialog.getByRole('checkbox', { name: 'All Leads' }).click();
  await shot('03-add-endpoint-filled');
  await dialog.getByRole('button', { name: 'Add endpoint' }).click();
  await page.getByRole('region', { name: 'Signing secret' }).waitFor();
  await page.getByRole('region', { name: 'Signing secret' }).getByText('How your endpoint verifies a request').click();
  await shot('04-secret-once');

  const created = page.getByRole('listitem', { name: `https://hooks.example.com/cadenza/${width}` });
  await created.getByRole('button', { name: /^More actions/ }).click();
  await page.getByRole('menuitem', { name: 'Rotate secret…' }).click();
  await page.getByRole('dialog', { name: 'Rotate the signing secret?' }).waitFor();
  await shot('05-rotate-confirm');
  await page.keyboard.press('Escape');
  await created.getByRole('button', { name: /^More actions/ }).click();
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  const del = page.getByRole('dialog', { name: 'Delete this endpoint?' });
  await shot('06-delete-confirm');
  await del.getByRole('button', { name: 'Delete endpoint' }).click();
  await del.waitFor({ state: 'detached' });

  await page.goto(`${base}/admin/webhooks/${scene.zapierId}`);
  await page.getByRole('table', { name: 'Deliveries, newest first' }).waitFor();
  await shot('07-delivery-log');
  await checkAxe(page, `the delivery log at ${width} px`, problems);
  await page.getByRole('radio', { name: 'Failed' }).click();
  await page.waitForURL('**status=failed**');
  await page.getByRole('table').getByRole('button', { name: /^(enrollment|email|task)\./ }).first().click();
  await page.waitForURL('**open=**');
  await shot('08-delivery-log-failed-open', true);
  await checkAxe(page, `a failed delivery open at ${width} px`, problems);
  if (width === 1280) await page.screenshot({ path: join(ROOT, 'docs', 'screenshots', 'admin-webhook-log.png'), animations: 'disabled' });

  await page.goto(`${base}/admin/webhooks/${scene.legacyId}`);
  await page.getByRole('table', { name: 'Deliveries, newest first' }).waitFor();
  await shot('09-delivery-log-410');

  await page.goto(`${base}/admin/webhooks/${scene.crmId}?event=task.created`);
  await page.getByRole('table', { name: 'Deliveries, newest first' }).waitFor();
  await shot('10-delivery-log-delivered');

  await page.goto(`${base}/admin/bookings`);
  await page.getByRole('list', { name: 'Booking tools' }).waitFor();
  await shot('11-bookings', true);
  await checkAxe(page, `the bookings page at ${width} px`, problems);
  await context.close();
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const receiver = new WebhookReceiver();
  await receiver.start();
  const vitePort = await freePort();
  // PUBLIC_URL is the page's origin (Vite's): sign-in from any other origin is refused. The manual clock moves by POST /api/dev/clock.
  const { serve } = await startDemo({ PUBLIC_URL: `http://127.0.0.1:${vitePort}`, CADENZA_CLOCK: 'manual' });
  let vite: Awaited<ReturnType<typeof startVite>> | null = null;
  const browser = await launchChromium();
  const problems: string[] = [];
  try {
    vite = await startVite(vitePort, Number(new URL(serve.url).port));
    const admin = demoAdmin(serve.output());
    const api = await Api.signIn(vite.base, admin.email, admin.password);
    console.log(`integrations screenshots of ${vite.base} → ${OUT}; receiver at ${receiver.base}`);
    const scene = await prepare(api, receiver);
    const calSecret = 'cal-demo-signing-secret';
    await api.put('/api/integrations/calcom', { secret: calSecret });
    await calcomBooking(vite.base, api, calSecret);
    for (const width of [1280, 390]) await walk(browser, vite.base, admin, scene, width, problems);
  } finally {
    reportProblems(problems);
    await browser.close();
    await vite?.server.close();
    await serve.stop();
    await receiver.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
