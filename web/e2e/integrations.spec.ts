/**
 * Webhooks end to end, in the browser against a `cadenza serve` of its own (a fresh
 * database, the manual clock, mail kept in the dev outbox: its cadence sends none) and
 * a local receiver: the admin adds an endpoint in the settings and copies its secret; a
 * lead is enrolled and the clock moves; the receiver gets the events, signed (checked
 * with the `standardwebhooks` package), and the delivery log shows them delivered. A
 * second endpoint that answers 500 is retried on schedule until it is given up; once it
 * works again, "Retry now" delivers it. axe-core checks the endpoints list, the add
 * dialog, the delivery log and the bookings page.
 * Serial: each test builds on the state the last one left.
 */
import { Webhook } from 'standardwebhooks';
import { WebhookReceiver } from '../../test/support/webhook-receiver.ts';
import { Api } from './support/api.ts';
import { clockStart } from './support/global-setup.ts';
import { expect, expectAccessible, signInAs, test as base } from './support/fixtures.ts';
import { startServe, type Serve } from './support/serve.ts';

const ADMIN = { name: 'Hana Hooks', email: 'hana@hooks.e2e.test', password: 'a long admin passphrase' };

let admin: Api;
let adminId: string;
let secret: string;
let cadenceId: string;

const test = base.extend<{}, { own: { serve: Serve; receiver: WebhookReceiver } }>({
  own: [async ({}, use) => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    const serve = await startServe({ CADENZA_DEMO: '0', CADENZA_CLOCK: 'manual', CADENZA_CLOCK_START: clockStart(), SMTP_URL: undefined, CADENZA_DEV_OUTBOX: '1' }).catch(async (e) => {
      await receiver.stop();
      throw e;
    });
    try {
      await use({ serve, receiver });
    } finally {
      await serve.stop();
      await receiver.stop();
    }
  }, { scope: 'worker', timeout: 150_000 }],
  baseURL: async ({ own }, use) => use(own.serve.url),
});

test.describe.configure({ mode: 'serial', timeout: 240_000 });

/** A lead enrolled in a one-step cadence (a to-do): `enrollment.created` now, `task.created` when the clock moves. */
async function enrolLead(email: string) {
  const lead = await admin.post<{ id: string }>('/api/leads', { email, firstName: email.split('@')[0], company: 'Hooks Inc', ownerId: adminId }, 201);
  const enrolled = await admin.post<{ enrolled: unknown[] }>(`/api/cadences/${cadenceId}/enrollments`, { recordIds: [lead.id] }, 201);
  expect(enrolled.enrolled).toHaveLength(1);
}

test('the first visit creates the first admin', async ({ page, baseURL }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel('Your name').fill(ADMIN.name);
  await page.getByLabel('Work email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create admin and sign in' }).click();
  await expect(page).toHaveURL(/\/today$/);
  admin = Api.fromCookies(baseURL!, await page.context().cookies());
  adminId = (await admin.get<{ id: string }>('/api/users/me')).id;
  const cadence = await admin.post<{ id: string }>('/api/cadences', {
    name: 'Hooked',
    schedule: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' },
    waitForTasks: false,
    steps: [{ type: 'task', title: 'Research {{lead.company}}' }],
  }, 201);
  cadenceId = cadence.id;
  await admin.post(`/api/cadences/${cadenceId}/activate`);
});

test('the admin adds an endpoint: a bad URL is refused at its field, then the secret is shown once', async ({ page, baseURL, own }) => {
  await signInAs(page, baseURL!, ADMIN);
  await page.goto('/admin');
  await page.getByRole('link', { name: /Webhooks/ }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  await expect(page.getByText('No endpoints yet')).toBeVisible();
  await expectAccessible(page, 'the webhooks page, empty');

  await page.getByRole('button', { name: 'Add endpoint' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add an endpoint' });
  await dialog.getByLabel('URL').fill('crm.example/hooks');
  await dialog.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(dialog.getByText('Expected an http:// or https:// URL without user or password.')).toBeVisible();
  await expectAccessible(page, 'the add-endpoint dialog with an error');
  await dialog.getByLabel('URL').fill(own.receiver.url('crm', { kind: 'answer', status: 204 }));
  await dialog.getByLabel('Description (optional)').fill('CRM sync');
  await dialog.getByRole('button', { name: 'Add endpoint' }).click();

  const box = page.getByRole('region', { name: 'Signing secret' });
  await expect(box).toBeVisible();
  secret = await box.getByRole('textbox', { name: 'Signing secret' }).inputValue();
  expect(secret).toMatch(/^whsec_/);
  await expect(page.getByRole('listitem', { name: 'CRM sync' }).getByText('All events')).toBeVisible();
  await expectAccessible(page, 'the webhooks page with the secret');
  await page.reload();
  await expect(page.getByRole('listitem', { name: 'CRM sync' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Signing secret' })).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
});

test('a lead is enrolled and the clock moves: the receiver gets the events signed, and the log shows them delivered', async ({ page, baseURL, own }) => {
  await signInAs(page, baseURL!, ADMIN);
  await enrolLead('ines@alder.test');
  await admin.advanceClock('PT1M');
  await expect.poll(() => own.receiver.of('crm').length, { message: 'enrollment.created and task.created at the receiver' }).toBeGreaterThanOrEqual(2);
  const verifier = new Webhook(secret);
  const types = own.receiver.of('crm').map((r) => (verifier.verify(r.body, r.headers) as { type: string }).type);
  expect(types).toEqual(expect.arrayContaining(['enrollment.created', 'task.created']));

  await page.goto('/admin/webhooks');
  await page.getByRole('listitem', { name: 'CRM sync' }).getByRole('link', { name: 'Delivery log' }).click();
  await expect(page).toHaveURL(/\/admin\/webhooks\/[^/?]+$/);
  const table = page.getByRole('table', { name: 'Deliveries, newest first' });
  await expect(table.getByText('Delivered', { exact: true })).toHaveCount(own.receiver.of('crm').length);
  await table.getByRole('button', { name: /^enrollment\.created/ }).click();
  await expect(page).toHaveURL(/open=/);
  await expect(page.getByText('"email": "ines@alder.test"').first()).toBeVisible();
  await expectAccessible(page, 'the delivery log with a delivery open');
});

test('a failing endpoint is retried on schedule until given up; once it works, "Retry now" delivers it', async ({ page, baseURL, own }) => {
  await signInAs(page, baseURL!, ADMIN);
  const flaky = own.receiver.url('flaky', { kind: 'answer', status: 500, body: 'database locked' });
  const created = await admin.post<{ id: string }>('/api/webhooks', { url: flaky, events: ['enrollment.created'], description: 'Flaky' }, 201);
  await enrolLead('jonas@birch.test');
  // Eight attempts: the first now, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later (each ±20 %).
  for (let i = 0; i < 8; i++) await admin.advanceClock('PT13H');
  const log = await admin.get<{ items: Array<{ status: string; attempts: number }> }>(`/api/webhooks/${created.id}/deliveries`);
  expect(log.items).toEqual([expect.objectContaining({ status: 'failed' })]);
  expect(own.receiver.of('flaky').length).toBeGreaterThanOrEqual(8);
  const sentBefore = own.receiver.of('flaky').length;

  await page.goto('/admin/webhooks');
  const card = page.getByRole('listitem', { name: 'Flaky' });
  await expect(card.getByText('500 Internal Server Error')).toBeVisible();
  await card.getByRole('link', { name: '1 failed: show them' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/webhooks/${created.id}\\?status=failed$`));
  const table = page.getByRole('table', { name: 'Deliveries, newest first' });
  await expect(table.getByText(/^Gave up after \d+ (h|days) \(\d+ attempts\)$/)).toBeVisible();
  await table.getByRole('button', { name: /^enrollment\.created/ }).click();
  await expect(page.getByText('database locked')).toBeVisible();
  await expectAccessible(page, 'the delivery log of a failing endpoint');

  own.receiver.behave('flaky', { kind: 'answer', status: 200 });
  await table.getByRole('button', { name: /^Retry now/ }).click();
  await expect(page.getByText('Retry queued', { exact: true })).toBeVisible();
  await admin.advanceClock('PT1S');
  await expect.poll(() => own.receiver.of('flaky').length).toBe(sentBefore + 1);
  await page.getByRole('radio', { name: 'All' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/webhooks/${created.id}$`));
  await expect(table.getByText('Delivered', { exact: true })).toBeVisible();
});

test('the bookings page gives the webhook URL to paste and keeps the secret write-only', async ({ page, baseURL }) => {
  await signInAs(page, baseURL!, ADMIN);
  await page.goto('/admin/bookings');
  const cal = page.getByRole('listitem', { name: 'Cal.com' });
  await expect(cal.getByRole('textbox', { name: 'Cal.com webhook URL' })).toHaveValue(`${baseURL}/api/integrations/calcom`);
  await expectAccessible(page, 'the bookings page');
  await cal.getByLabel('Signing secret', { exact: true }).fill('a-cal-secret-of-ours');
  await cal.getByRole('button', { name: 'Connect' }).click();
  await expect(cal.getByText('Connected', { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('listitem', { name: 'Cal.com' }).getByText('Connected', { exact: true })).toBeVisible();
  expect(await page.content()).not.toContain('a-cal-secret-of-ours');
});
