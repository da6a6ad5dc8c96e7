/**
 * A rep's day, end to end, in the browser against `cadenza serve` (manual clock, a real
 * SMTP sink): the first visit sets up the first admin; the admin prepares a rep, a
 * cadence and a lead through the API; the rep signs in, works Today in focus mode (a
 * call with an outcome and a note, a manual email edited and sent, which the sink
 * receives, a skipped to-do), reads the lead's timeline, and finds no way into the
 * admin pages. Every test fails on a console error (fixtures.ts); axe-core checks each
 * page a rep works on. Serial: each test builds on the state the last one left.
 */
import { Api } from './support/api.ts';
import type { TaskItem } from '../../src/contract/tasks.ts';
import { expect, expectAccessible, signInAs, test } from './support/fixtures.ts';
import { receivedMail } from './support/mail-sink.ts';
import { ADMIN, CADENCE_NAME, LEAD, prepareRepDay, REP, type RepDay } from './support/scene.ts';

test.describe.configure({ mode: 'serial' });

let admin: Api;
let day: RepDay;

test('the first visit creates the first admin, who lands on Today', async ({ page, baseURL }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { name: 'Set up your workspace' })).toBeVisible();
  await expectAccessible(page, 'the setup page');

  await page.getByLabel('Your name').fill(ADMIN.name);
  await page.getByLabel('Work email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create admin and sign in' }).click();
  await expect(page).toHaveURL(/\/today$/);
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })).toBeVisible();

  // The session the setup opened is the admin's way into the API for the next step.
  admin = Api.fromCookies(baseURL!, await page.context().cookies());
  expect((await admin.get('/api/users/me')).email).toBe(ADMIN.email);
});

test('the admin prepares a rep\'s day: the first email reaches the sink from the rep\'s mailbox', async () => {
  day = await prepareRepDay(admin, process.env.E2E_SMTP_URL!);
  await expect.poll(async () => (await receivedMail()).length, { message: 'the cadence\'s first (automatic) email at the sink' }).toBe(1);
  const [first] = await receivedMail();
  expect(first!.envelope.to).toEqual(['lena@northwind.test']);
  expect(first!.parsed.from?.value[0]).toMatchObject({ address: REP.email, name: REP.name });
  expect(first!.parsed.subject).toBe('A question for Northwind');
});

test('the sign-in page signs the rep in', async ({ page }) => {
  await page.goto('/today');
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole('heading', { name: /sign in/i })).toBeVisible();
  await expectAccessible(page, 'the sign-in page');
  await page.getByLabel('Email').fill(REP.email);
  await page.getByLabel('Password').fill(REP.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/today$/);
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
});

test('the rep works Today in focus mode: a call with an outcome, a manual email edited and sent, a skip', async ({ page, baseURL }) => {
  const rep = await Api.signIn(baseURL!, REP.email, REP.password);
  const open = (await rep.get<{ items: TaskItem[] }>('/api/tasks?status=open&due=today')).items;
  const byTitle = (title: string) => {
    const task = open.find((t) => t.title === title);
    if (!task) throw new Error(`no open task "${title}" due today: ${open.map((t) => t.title).join(', ')}`);
    return task;
  };
  const [call, email, todo] = [byTitle('Call Lena'), byTitle('Follow up with Lena'), byTitle('Research Northwind')];

  await signInAs(page, baseURL!, REP);
  await page.goto('/today');
  const queue = page.getByRole('tabpanel', { name: 'Today' }).getByRole('table');
  await expect(queue.getByRole('row')).toHaveCount(1 + 3); // the header row and the three tasks
  const callRow = queue.getByRole('row').filter({ hasText: 'Call Lena' });
  await expect(callRow).toContainText('Lena Lindqvist');
  await expect(callRow).toContainText('Northwind');
  await expect(callRow).toContainText(CADENCE_NAME);
  await expect(callRow).toContainText('Step 2 of 5');
  await expectAccessible(page, 'Today');

  // A call: opened from the queue by the keyboard (the row, Enter), its outcome one click with a note.
  await callRow.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`[?&]focus=${call.id}`));
  await expect(page.getByRole('heading', { name: 'Call Lena', level: 2 })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Lead' })).toContainText('Lena Lindqvist');
  await expectAccessible(page, 'focus mode (a call)');
  await page.getByLabel('Note').fill('Spoke to Lena: the rollout starts in March. Sending her the deck.');
  await page.getByRole('group', { name: 'Call outcome' }).getByRole('button', { name: /Connected/ }).click();
  await expect(page.getByRole('heading', { name: 'Call Lena', level: 2 })).toHaveCount(0);
  const called = await rep.get<{ items: TaskItem[] }>(`/api/tasks?recordId=${day.leadId}&status=completed`);
  expect(called.items.find((t) => t.id === call.id)).toMatchObject({ outcome: 'connected', note: 'Spoke to Lena: the rollout starts in March. Sending her the deck.' });

  // The manual email: the draft rendered for Lena, in the first email's thread, edited and sent.
  await page.goto(`/today?focus=${email.id}`);
  await expect(page.getByRole('heading', { name: 'Follow up with Lena', level: 2 })).toBeVisible();
  const form = page.getByRole('form', { name: 'Manual email' });
  await expect(form.getByLabel('Subject')).toHaveValue('Re: A question for Northwind');
  await expect(form.getByLabel('Body')).toHaveValue(/^Hi Lena,\n\nFollowing up on my note from Monday\./);
  await expectAccessible(page, 'focus mode (a manual email)');
  await form.getByLabel('Subject').fill('Re: A question for Northwind: the deck');
  await form.getByLabel('Body').fill('Hi Lena,\n\nThanks for the call. The deck is attached to the link below.\n\nRita');
  await form.getByRole('button', { name: /Send email/ }).click();
  await expect(page.getByRole('heading', { name: 'Follow up with Lena', level: 2 })).toHaveCount(0);

  // On the manual clock the engine's sender runs when the clock moves: a minute later, it has gone out.
  await admin.advanceClock('PT1M');
  await expect.poll(async () => (await receivedMail()).length, { message: 'the manual email at the sink' }).toBe(2);
  const [first, sent] = await receivedMail();
  expect(sent!.envelope.from).toBe(REP.email);
  expect(sent!.envelope.to).toEqual([LEAD.email]);
  expect(sent!.parsed.from?.value[0]).toMatchObject({ address: REP.email, name: REP.name });
  expect(sent!.parsed.subject).toBe('Re: A question for Northwind: the deck');
  expect(sent!.parsed.text).toContain('Thanks for the call. The deck is attached to the link below.');
  expect(sent!.parsed.text).not.toContain('Following up on my note');
  // Tracked (an open pixel of this server) and threaded under the first email, like an automatic step.
  expect(sent!.parsed.html || '').toMatch(new RegExp(`<img[^>]+src="${baseURL}/t/o/[^"]+"`));
  expect(sent!.parsed.inReplyTo).toBe(first!.parsed.messageId);
  expect([sent!.parsed.references].flat()).toContain(first!.parsed.messageId);

  // A to-do skipped.
  await page.goto(`/today?focus=${todo.id}`);
  await expect(page.getByRole('heading', { name: 'Research Northwind', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: /^Skip/ }).click();
  await expect(page.getByRole('heading', { name: 'Research Northwind', level: 2 })).toHaveCount(0);
  const left = await rep.get<{ items: TaskItem[] }>('/api/tasks?status=open&due=today');
  expect(left.items).toEqual([]);
  const skipped = await rep.get<{ items: TaskItem[] }>(`/api/tasks?recordId=${day.leadId}&status=cancelled`);
  expect(skipped.items.find((t) => t.id === todo.id)).toMatchObject({ skipped: true });
});

test('the lead\'s page shows what happened, newest first', async ({ page, baseURL }) => {
  await signInAs(page, baseURL!, REP);
  await page.goto(`/leads/${day.leadId}?tab=timeline`);
  await expect(page.getByRole('heading', { name: 'Lena Lindqvist', level: 1 })).toBeVisible();
  const timeline = page.getByRole('tabpanel');
  for (const text of [
    'Enrolled in Northwind outreach',
    'Email sent: A question for Northwind',
    'Done: Call Lena',
    'Email sent: Re: A question for Northwind: the deck',
    'Skipped: Research Northwind',
  ]) await expect(timeline.getByRole('listitem').filter({ hasText: text }).first()).toBeVisible();
  await expect(timeline.getByRole('listitem').filter({ hasText: 'Done: Call Lena' }).first()).toContainText(/connected/i);
  await expectAccessible(page, 'the lead page');
});

test('a rep finds no way into the admin pages', async ({ page, baseURL }) => {
  await signInAs(page, baseURL!, REP);
  await page.goto('/today');
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Today' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);

  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'You need an admin account' })).toBeVisible();
  await expectAccessible(page, 'the admins-only page');
  // The keyboard's way there goes nowhere either: `g a` is an admin's shortcut.
  await page.goto('/today');
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await expect(page).toHaveURL(/\/today$/);
});
