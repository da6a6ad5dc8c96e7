/**
 * The admin's path, end to end, in the browser against a `cadenza serve` of its own
 * (a fresh database: rep-day.spec.ts sets up the other one's first admin), on the
 * manual clock, its mail going to an SMTP sink of its own: the first admin; a rep
 * added with a password and given a mailbox; a CSV imported with a bad row reported at
 * its line; a three-step cadence built in the builder, a typo merge field refused at
 * its field, previewed for a lead, activated; leads enrolled after the preflight said
 * who would be refused and why; the clock moved, the first emails at the sink; the
 * cadence's analytics showing the sends, as a chart. axe-core checks the builder, the
 * leads and the analytics pages. Serial: each test builds on the state the last left.
 */
import { Api } from './support/api.ts';
import { expect, expectAccessible, signInAs, test as base } from './support/fixtures.ts';
import { receivedMail, startMailSink, type MailSink } from './support/mail-sink.ts';
import { clockStart } from './support/global-setup.ts';
import { startServe, type Serve } from './support/serve.ts';

const ADMIN = { name: 'Olga Ops', email: 'olga@ops.e2e.test', password: 'a long admin passphrase' };
const REP = { name: 'Sam Seller', email: 'sam@ops.e2e.test', password: 'sellers password 1' };
const CADENCE = 'Spring outreach';
const STEP_1_SUBJECT = 'Spring plans at {{lead.company}}';

/** Five good rows with the spellings people's exports use, and one with an email that is not one (line 5). */
const CSV = [
  'E-mail,First Name,Last Name,Company Name,Owner,Job Title',
  `ines@alder.test,Ines,Alder,Alder & Co,${REP.email},CTO`,
  `jonas@birch.test,Jonas,Birch,Birch Labs,${REP.email},Head of Sales`,
  `kara@cedar.test,Kara,Cedar,Cedar Works,${REP.email},COO`,
  `not-an-email,Lars,Dunn,Dunn GmbH,${REP.email},CEO`,
  `maya@elm.test,Maya,Elm,Elm Studio,${REP.email},Founder`,
  `noor@fir.test,Noor,Fir,Fir Systems,${REP.email},VP Marketing`,
].join('\n') + '\n';
const GOOD = ['ines@alder.test', 'jonas@birch.test', 'kara@cedar.test', 'maya@elm.test', 'noor@fir.test'];
/** The imported lead who unsubscribes before the enrolment: the preflight names her. */
const UNSUBSCRIBED = { name: 'Noor Fir', email: 'noor@fir.test' };

let admin: Api;
let cadenceId: string;
/** The server's (manual) clock after it moved. */
let serverNow: string;

/**
 * This file's own `cadenza serve`, on a fresh database, and an SMTP sink of its own (so
 * rep-day.spec.ts's count of the global sink's messages stays its own), started once for
 * the file's worker and stopped after it; every page's baseURL points to the serve.
 */
const test = base.extend<{}, { own: { serve: Serve; sink: MailSink } }>({
  own: [async ({}, use) => {
    const sink = await startMailSink();
    const serve = await startServe({ CADENZA_DEMO: '0', CADENZA_CLOCK: 'manual', CADENZA_CLOCK_START: clockStart(), SMTP_URL: sink.smtpUrl }).catch(async (e) => {
      await sink.stop();
      throw e;
    });
    try {
      await use({ serve, sink });
    } finally {
      await serve.stop();
      await sink.stop();
    }
  }, { scope: 'worker', timeout: 150_000 }],
  baseURL: async ({ own }, use) => use(own.serve.url),
});

// Serial; a step may take a while on a busy machine (pages load their chunks, axe walks the builder).
test.describe.configure({ mode: 'serial', timeout: 240_000 });


test('the first visit creates the first admin', async ({ page, baseURL }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel('Your name').fill(ADMIN.name);
  await page.getByLabel('Work email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create admin and sign in' }).click();
  await expect(page).toHaveURL(/\/today$/);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })).toBeVisible();
  admin = Api.fromCookies(baseURL!, await page.context().cookies());
  expect((await admin.get('/api/users/me')).email).toBe(ADMIN.email);
});

test('the admin adds a rep with a password and gives them a mailbox', async ({ page, baseURL, own }) => {
  await signInAs(page, baseURL!, ADMIN);
  await page.goto('/admin/users');
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a user' });
  await dialog.getByLabel('Name').fill(REP.name);
  await dialog.getByLabel('Email').fill(REP.email);
  await dialog.getByLabel('Role').selectOption('rep');
  await dialog.getByRole('radio', { name: /Set a password now/ }).check();
  await dialog.getByLabel('Password', { exact: true }).fill(REP.password);
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(dialog).toHaveCount(0);
  const users = page.getByRole('table', { name: 'Users' });
  await expect(users.getByRole('row').filter({ hasText: REP.email })).toContainText('Signs in with a password');
  // The rep can sign in with it.
  await Api.signIn(baseURL!, REP.email, REP.password);

  // Their cadence emails go out through the SMTP sink.
  await page.goto('/admin/mailboxes');
  await page.getByRole('button', { name: `Edit ${REP.name}'s mailbox` }).click();
  const mailbox = page.getByRole('dialog', { name: `${REP.name}'s mailbox` });
  await mailbox.getByLabel('From address').fill(REP.email);
  await mailbox.getByLabel('From name').fill(REP.name);
  await mailbox.getByLabel('SMTP server').fill(own.sink.smtpUrl);
  await mailbox.getByRole('button', { name: 'Save mailbox' }).click();
  await expect(mailbox).toHaveCount(0);
});

test('a CSV import reports its bad row with line and reason, then imports the good ones', async ({ page, baseURL }) => {
  await signInAs(page, baseURL!, ADMIN);
  await page.goto('/admin/leads/import');
  await expect(page.getByRole('heading', { name: 'Import leads', level: 1 })).toBeVisible();
  await page.locator('input[type=file]').setInputFiles({ name: 'spring-leads.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });

  await expect(page.getByRole('heading', { name: 'spring-leads.csv: 6 rows checked' })).toBeVisible();
  const plan = page.getByRole('list', { name: 'What the import would do' });
  await expect(plan).toContainText('5 new leads');
  await expect(plan).toContainText('1 rows left out');
  // The header's spellings are read as the lead's fields.
  const columns = page.getByRole('table', { name: 'How the columns are read' });
  for (const header of ['E-mail', 'First Name', 'Company Name', 'Owner']) await expect(columns.getByRole('row').filter({ hasText: header })).toBeVisible();
  const left = page.getByRole('table', { name: 'Rows left out: 1' });
  const bad = left.getByRole('row').filter({ hasText: 'not-an-email' });
  await expect(bad.getByRole('cell').first()).toHaveText('5');
  await expect(bad).toContainText(/E-mail "not-an-email"/);
  // Nothing is written before the admin confirms.
  expect((await admin.get<{ items: unknown[] }>('/api/leads')).items).toHaveLength(0);

  await page.getByRole('button', { name: 'Import 5 leads' }).click();
  await expect(page.getByRole('heading', { name: 'spring-leads.csv imported' })).toBeVisible();
  const did = page.getByRole('list', { name: 'What the import did' });
  await expect(did).toContainText('5 leads created');
  await expect(did).toContainText('1 rows left out');

  const leads = (await admin.get<{ items: Array<{ email: string; ownerId: string; company: string | null }> }>('/api/leads')).items;
  expect(leads.map((l) => l.email).sort()).toEqual([...GOOD].sort());
  const rep = (await admin.get<{ items: Array<{ id: string; email: string }> }>('/api/users')).items.find((u) => u.email === REP.email)!;
  expect(new Set(leads.map((l) => l.ownerId))).toEqual(new Set([rep.id]));
  expect(leads.find((l) => l.email === 'ines@alder.test')?.company).toBe('Alder & Co');
});

test('a three-step cadence is built, a typo merge field refused at its field, previewed for a lead and activated', async ({ page, baseURL, expectedAnswers }) => {
  await signInAs(page, baseURL!, ADMIN);
  await page.goto('/admin/cadences');
  await page.getByRole('button', { name: 'New cadence' }).first().click();
  const create = page.getByRole('dialog', { name: 'New cadence' });
  await create.getByLabel('Name').fill(CADENCE);
  await create.getByRole('button', { name: 'Create and edit steps' }).click();
  await expect(page).toHaveURL(/\/admin\/cadences\/[^/?]+/);
  cadenceId = new URL(page.url()).pathname.split('/')[3]!;
  await expect(page.getByRole('heading', { name: CADENCE, level: 1 })).toBeVisible();

  const steps = page.getByRole('list', { name: 'Steps' });
  const step = (n: number) => steps.getByRole('listitem', { name: `Step ${n}`, exact: true });
  await expect(steps.locator(':scope > li')).toHaveCount(1);
  // A call and a to-do after the first email, each a day after the step before.
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  await page.getByRole('button', { name: 'To-do', exact: true }).click();
  await expect(steps.locator(':scope > li')).toHaveCount(3);
  await step(2).getByLabel('Wait after the previous step').fill('1');
  await step(2).getByLabel('Unit').selectOption('days');
  await step(2).getByLabel('Task title', { exact: true }).fill('Call {{lead.firstName}} at {{lead.company}}');
  await step(3).getByLabel('Wait after the previous step').fill('2');
  await step(3).getByLabel('Unit').selectOption('days');
  await step(3).getByLabel('Task title', { exact: true }).fill('Connect with {{lead.firstName}} on LinkedIn');
  await expect(step(2)).toContainText('Day 2');
  await expect(step(3)).toContainText('Day 4');
  // Every day around the clock in UTC, so the first emails leave within a day whatever day the test runs.
  const days = page.getByRole('group', { name: 'Days' });
  for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']) {
    const chip = days.getByRole('button', { name: day });
    if ((await chip.getAttribute('aria-pressed')) !== 'true') await chip.click();
    await expect(chip).toHaveAttribute('aria-pressed', 'true');
  }
  await page.getByLabel('Window 1 starts').fill('00:00');
  await page.getByLabel('Window 1 ends').fill('23:59');
  await page.getByLabel('Time zone').fill('UTC');

  // The first email, with a typo in a merge field: refused at save, at that field, with the fix offered.
  expectedAnswers.push({ path: `/api/cadences/${cadenceId}`, status: 400 }); // the refused save, below
  await step(1).getByLabel('Subject', { exact: true }).fill(STEP_1_SUBJECT);
  await step(1).getByLabel('Body', { exact: true }).fill('Hi {{lead.frstName}},\n\nHow is spring going at {{lead.company}}?\n\nSam');
  await page.getByRole('button', { name: 'Save', exact: true }).first().click();
  const body = step(1).getByLabel('Body', { exact: true });
  await expect(body).toHaveAttribute('aria-invalid', 'true');
  // The server's refusal, read out with the field: the step, the field as written and the suggestion.
  await expect(body).toHaveAccessibleDescription(/lead\.frstName.*lead\.firstName/);
  await expect(step(1)).toContainText('needs a fix');
  expect((await admin.get<{ steps: unknown[] }>(`/api/cadences/${cadenceId}`)).steps).toHaveLength(1);
  await step(1).getByRole('button', { name: 'Use lead.firstName instead of lead.frstName' }).click();
  await expect(body).toHaveValue(/^Hi \{\{lead\.firstName\}\},/);

  // The preview, for a lead the admin picks, renders the unsaved edits.
  const preview = page.getByRole('complementary', { name: 'Preview' });
  await preview.getByRole('combobox', { name: 'Preview for a lead' }).fill('Ines');
  await preview.getByRole('option', { name: /Ines Alder/ }).click();
  const rendered = preview.getByRole('list', { name: 'Rendered steps' });
  await expect(rendered.getByRole('listitem').first()).toContainText('Spring plans at Alder & Co');
  await expect(rendered.getByRole('listitem').first()).toContainText('Hi Ines,');
  await expect(rendered.getByRole('listitem').nth(1)).toContainText('Call Ines at Alder & Co');
  await expectAccessible(page, 'the cadence builder');

  await page.getByRole('button', { name: 'Save', exact: true }).first().click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved/ })).toHaveCount(1);
  const saved = await admin.get<{ steps: Array<{ type: string; body?: string }>; status: string }>(`/api/cadences/${cadenceId}`);
  expect(saved.steps.map((s) => s.type)).toEqual(['email', 'call', 'task']);
  expect(saved.steps[0]!.body).toContain('{{lead.firstName}}');

  await page.getByRole('button', { name: 'Activate', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  expect((await admin.get<{ status: string }>(`/api/cadences/${cadenceId}`)).status).toBe('active');
});

test('leads are enrolled after the preflight says who would be refused and why', async ({ page, baseURL }) => {
  const noor = (await admin.get<{ items: Array<{ id: string }> }>(`/api/leads?q=${encodeURIComponent(UNSUBSCRIBED.email)}`)).items[0]!;
  await admin.post('/api/signals', { type: 'unsubscribed', recordId: noor.id }, 202);

  await signInAs(page, baseURL!, ADMIN);
  await page.goto('/leads');
  await expect(page.getByRole('heading', { name: 'Leads', level: 1 })).toBeVisible();
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(1 + 5);
  await expectAccessible(page, 'the leads page');

  await page.getByRole('checkbox', { name: 'Select all leads shown' }).check();
  await expect(page.getByRole('region', { name: 'Selection' })).toContainText('5 selected');
  await page.getByRole('button', { name: /Enrol in cadence/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Enrol 5 leads' });
  await dialog.getByRole('radio', { name: new RegExp(CADENCE) }).check();
  const plan = dialog.getByRole('list', { name: 'What enrolling would do' });
  await expect(plan).toContainText('4 leads would be enrolled and start now');
  await expect(plan).toContainText('1 lead would be refused');
  const refused = dialog.getByRole('list', { name: 'Refused (1)' });
  await expect(refused.getByRole('listitem')).toHaveCount(1);
  await expect(refused).toContainText(UNSUBSCRIBED.name);
  await expect(refused).toContainText(/unsubscribed/i);
  // Nothing is written before the admin commits.
  expect((await admin.get<{ items: Array<{ enrollments: unknown[] }> }>('/api/leads')).items.every((l) => l.enrollments.length === 0)).toBe(true);

  await dialog.getByRole('button', { name: /^Enrol 4 leads/ }).click();
  await expect(dialog).toContainText('4 leads enrolled in Spring outreach');
  await expect(dialog).toContainText('1 lead not enrolled, as the check said.');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toHaveCount(0);
});

test('the clock moves a day: the first emails reach the sink from the rep\'s mailbox', async ({ own }) => {
  serverNow = (await admin.advanceClock('P1D')).now;
  const toUs = () => receivedMail(own.sink.httpUrl);
  await expect.poll(async () => (await toUs()).length, { message: 'the cadence\'s first emails at the sink' }).toBe(4);
  const sent = await toUs();
  expect(sent.map((m) => m.envelope.to[0]).sort()).toEqual(GOOD.filter((e) => e !== UNSUBSCRIBED.email).sort());
  for (const m of sent) expect(m.parsed.from?.value[0]).toMatchObject({ address: REP.email, name: REP.name });
  const ines = sent.find((m) => m.envelope.to[0] === 'ines@alder.test')!;
  expect(ines.parsed.subject).toBe('Spring plans at Alder & Co');
  expect(ines.parsed.text).toContain('Hi Ines,');
});

test('the cadence\'s analytics show the sends, in the funnel and as a chart', async ({ page, baseURL }) => {
  // The browser's day is the server's (its clock moved a day ahead of the real one): the default range ends on it.
  await page.clock.setFixedTime(new Date(serverNow));
  await signInAs(page, baseURL!, ADMIN);
  await page.goto(`/admin/cadences/${cadenceId}/analytics`);
  const funnel = page.getByRole('table', { name: /The funnel per step/ });
  const first = funnel.getByRole('row').nth(1);
  await expect(first.getByRole('link', { name: /^4 – show the leads: Sent, step 1$/ })).toBeVisible();
  const chart = page.getByRole('img', { name: /Bar chart of the funnel per step/ });
  await expect(chart.locator('svg').first()).toBeVisible();
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expectAccessible(page, 'the analytics page');
});
