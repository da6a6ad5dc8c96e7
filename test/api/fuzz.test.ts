import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { hashPassword } from '../../src/app/passwords.ts';
import { setPasswordHash } from '../../src/store/session.repository.ts';
import { FUZZ_BOOKING_SECRET, FUZZ_PASSWORDS, ROUTE_SPECS, fuzzRequest, type FuzzRequest, type FuzzWorld } from './fuzz-arbitraries.ts';
import { ALWAYS_OPEN, advance, buildWorld, createCadence, createLead, enrollOne } from './helpers.ts';

/**
 * Every write route, fed accepted requests and mutations of them (fixed seed): no answer
 * is a 5xx, every 4xx has the error shape without a stack and leaves every table as it was.
 */

// Fixed, so the suite is repeatable; FUZZ_SEED=<n> explores other inputs by hand (FUZZ_LOG=<route> shows them).
const SEED = Number(process.env.FUZZ_SEED ?? 2);
const AT_LEAST = 2_000;
/** Each route's own seed, from its key: a route added or removed leaves the others' requests as they were. */
const seedOf = (key: string) => [...key].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, SEED);
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `METHOD /path` of every write route the server has, read from Fastify's own route tree. */
function writeRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    const path = (prefixes[depth - 1] ?? '') + m[2];
    prefixes[depth] = path;
    for (const method of (m[3] ?? '').split(', ')) if (WRITES.has(method)) routes.push(`${method} ${path}`);
  }
  return routes.sort();
}

/**
 * A small world in which every kind of id a write route takes exists. Three more leads
 * are enrolled in a cadence of their own that only the enrolment and task routes name
 * (two of them only pause and resume), and one draft cadence is never archived, so
 * that those routes still find something to change after the others ended the rest.
 */
async function seedWorld(h: Harness): Promise<FuzzWorld> {
  const w = await buildWorld(h);
  const other = await createLead(h, { email: 'grace@example.com', firstName: 'Grace', ownerId: h.reps[1].id });
  const draft = await createCadence(h, { name: 'Draft', steps: [{ type: 'task', title: 'Research' }] }, false);
  const spare = await createCadence(h, { name: 'Spare', steps: [{ type: 'call', title: 'Call' }] }, false);
  const deletable = await createCadence(h, { name: 'Deletable', steps: [{ type: 'call', title: 'Call' }] }, false);
  const keptCadence = await createCadence(h, { name: 'Kept', schedule: ALWAYS_OPEN, steps: [{ type: 'call', title: 'Call' }, { type: 'task', title: 'Write' }] });
  const kept: string[] = [];
  // kept[3]'s task is skip's alone, kept[2]'s snooze's and reassign's: complete and exits close the others
  // (kept[4] and kept[5] so that some are left for complete whatever order the exits come in).
  for (const i of [1, 2, 3, 4, 5, 6]) {
    const lead = await createLead(h, { email: `kept${i}@example.com`, firstName: 'Kept', ownerId: h.reps[0].id, timezone: 'UTC' });
    kept.push(await enrollOne(h, keptCadence.id, lead.id));
  }
  // Open manual emails for send, and tasks for bulk alone.
  const manual = await createCadence(h, { name: 'Manual', schedule: ALWAYS_OPEN, steps: [{ type: 'email', mode: 'manual', subject: 'Hi {{lead.firstName}}', body: 'Hello {{lead.firstName}}' }] });
  const manualEnrollments: string[] = [];
  const bulkEnrollments: string[] = [];
  for (const i of [1, 2, 3, 4]) {
    const lead = await createLead(h, { email: `manual${i}@example.com`, firstName: 'Manual', ownerId: h.reps[0].id, timezone: 'UTC' });
    manualEnrollments.push(await enrollOne(h, manual.id, lead.id));
    const other = await createLead(h, { email: `bulk${i}@example.com`, firstName: 'Bulk', ownerId: h.reps[0].id, timezone: 'UTC' });
    bulkEnrollments.push(await enrollOne(h, keptCadence.id, other.id));
  }
  const erasable: string[] = [];
  const erasableEnrollments: string[] = [];
  for (const i of [1, 2, 3]) {
    const lead = await createLead(h, { email: `erasable${i}@example.com`, ownerId: h.reps[0].id, timezone: 'UTC' });
    if (i === 1) erasableEnrollments.push(await enrollOne(h, keptCadence.id, lead.id));
    erasable.push(lead.id);
  }
  await advance(h, 'PT1M');
  // The reps sign in with a password; the admin has none, so first-admin setup stays open.
  for (const rep of h.reps) await setPasswordHash(h.ctx.db, rep.id, await hashPassword(FUZZ_PASSWORDS[0]));
  const tasks = await h.ctx.db.selectFrom('tasks').select(['id', 'enrollment_id']).where('status', '=', 'open').orderBy('id').execute();
  const email = await h.ctx.db.selectFrom('emails').select(['token', 'message_id']).where('id', '=', w.email.id).executeTakeFirstOrThrow();
  const timeOffIds: string[] = [];
  for (const month of ['04', '05', '06', '07', '08', '09']) {
    const off = await h.api('POST', `/api/users/${h.reps[0].id}/time-off`, { from: `2026-${month}-01T00:00:00Z`, to: `2026-${month}-08T00:00:00Z` });
    timeOffIds.push(off.body.id);
  }
  const spareUser = await h.api('POST', '/api/users', { name: 'Spare', email: 'spare@example.com', role: 'rep', invite: true });
  // Invited apart: the routes that reissue or end the spare user's invitation never touch this one.
  const invitee = await h.api('POST', '/api/users', { name: 'Invitee', email: 'invitee@example.com', role: 'rep', invite: true });
  const webhooks = await seedWebhooks(h);
  return {
    spareUserIds: [spareUser.body.id],
    invitationTokens: [invitee.body.invitation.token],
    userIds: [h.admin.id, ...h.reps.map((r) => r.id)],
    userEmails: ['admin@example.com', 'rep1@example.com', 'rep2@example.com'],
    leadIds: [w.lead.id, other.id],
    erasableLeadIds: erasable,
    leadEmails: [w.lead.email, other.email],
    cadenceIds: [w.cadence.id, draft.id],
    editableCadenceIds: [w.cadence.id, draft.id, spare.id],
    deletableCadenceIds: [deletable.id],
    enrollmentIds: [w.enrollmentId, kept[0]],
    pausableIds: [w.enrollmentId, ...kept.slice(0, 3)],
    taskIds: tasks.filter((t) => ![kept[2], kept[3], ...manualEnrollments, ...bulkEnrollments, ...erasableEnrollments].includes(t.enrollment_id!)).map((t) => t.id),
    skippableTaskIds: tasks.filter((t) => t.enrollment_id === kept[3]).map((t) => t.id),
    movableTaskIds: tasks.filter((t) => t.enrollment_id === kept[2]).map((t) => t.id),
    messageIds: [email.message_id],
    emailTokens: [email.token],
    timeOffIds,
    manualTaskIds: tasks.filter((t) => manualEnrollments.includes(t.enrollment_id!)).map((t) => t.id),
    bulkTaskIds: tasks.filter((t) => bulkEnrollments.includes(t.enrollment_id!)).map((t) => t.id),
    ...webhooks,
  };
}

/** Both booking providers set up, and webhook endpoints: one with a delivery log, two that only DELETE names. */
async function seedWebhooks(h: Harness): Promise<Pick<FuzzWorld, 'webhookIds' | 'deletableWebhookIds' | 'deliveryIds'>> {
  for (const provider of ['calcom', 'calendly']) await h.api('PUT', `/api/integrations/${provider}`, { secret: FUZZ_BOOKING_SECRET });
  const endpoint = async () => (await h.api('POST', '/api/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['task.completed'] })).body.id as string;
  const [kept, ...deletable] = [await endpoint(), await endpoint(), await endpoint()];
  const deliveryIds: string[] = [];
  for (const status of ['failed', 'delivered'] as const) {
    const id = `msg_fuzz_${status}`;
    await h.ctx.db.insertInto('webhook_messages').values({ id, type: 'task.completed', at: h.clock.now(), data: JSON.stringify({}) }).execute();
    const d = await h.ctx.db.insertInto('webhook_deliveries')
      .values({ message_id: id, endpoint_id: kept, status, attempts: 1, created_at: h.clock.now() }).returning('id').executeTakeFirstOrThrow();
    deliveryIds.push(d.id);
  }
  return { webhookIds: [kept], deletableWebhookIds: deletable, deliveryIds };
}

/**
 * Reads one digest per table of every row, computed by the database: the row count and
 * the XOR of each row's 64-bit hash. PGlite has one session, so the statement is
 * prepared once there (planning the union of every table cost ~5 times its execution).
 */
async function tableDigester(h: Harness): Promise<() => Promise<Map<string, string>>> {
  const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(h.ctx.db);
  const text = rows.map((r) => `select '${r.name}' as name, count(*) || ':' || coalesce(bit_xor(hashtextextended(x::text, 0)), 0) as digest from "${r.name}" x`).join(' union all ');
  let statement = text;
  if (h.database.kind === 'pglite') {
    await sql.raw(`prepare fuzz_digest as ${text}`).execute(h.ctx.db);
    statement = 'execute fuzz_digest';
  }
  return async () => new Map((await sql.raw<{ name: string; digest: string }>(statement).execute(h.ctx.db)).rows.map((r) => [r.name, r.digest]));
}

const STACK = [/\bat (?:\S+ \()?(?:file:|node:|\/)[^\s"]*:\d+:\d+/, /"stack"/, /node_modules|\/src\/|\.ts:\d+/];

/** What is wrong with an answer, if anything (the database is checked apart). */
function problemsOf(status: number, contentType: string, text: string, url: string): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push('5xx');
  if (STACK.some((re) => re.test(text))) problems.push('stack trace in the body');
  if (status >= 400 && (url.startsWith('/api/') || contentType.includes('json'))) {
    let error: any;
    try { error = JSON.parse(text).error; } catch { /* below */ }
    if (typeof error?.code !== 'string' || typeof error?.message !== 'string' || !error.message) problems.push('not {"error":{"code","message"}}');
  }
  return problems;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

describe.each(BACKENDS)('fuzzing every write route on %s', (backend) => {
  let h: Harness;
  let w: FuzzWorld;
  let digests: () => Promise<Map<string, string>>;
  beforeAll(async () => {
    h = await startHarness(backend);
    w = await seedWorld(h);
    digests = await tableDigester(h);
  }, 120_000);
  afterAll(() => h?.close());

  it('has a generator for every write route, and none for a route that is gone', () => {
    const routes = writeRoutes(h.app);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => !ROUTE_SPECS[r]), 'write routes without a generator in fuzz-arbitraries.ts').toEqual([]);
    expect(Object.keys(ROUTE_SPECS).filter((r) => !routes.includes(r)), 'generators of routes the server lacks').toEqual([]);
    // The route tree agrees with the OpenAPI document wherever a route is documented.
    const documented = Object.entries((h.app.swagger() as any).paths as Record<string, object>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
      .filter((r) => WRITES.has(r.split(' ')[0]));
    expect(documented.filter((r) => !routes.includes(r))).toEqual([]);
  });

  it(`${AT_LEAST}+ generated requests: no 5xx, every 4xx has the error shape and changes no table`, async () => {
    const routes = writeRoutes(h.app).filter((r) => ROUTE_SPECS[r]);
    const perRoute = Math.ceil(AT_LEAST / routes.length);
    const queues = routes.map((key) => fc.sample(fuzzRequest(key, ROUTE_SPECS[key], w), { seed: seedOf(key), numRuns: perRoute }));
    const tokens = { admin: h.adminToken, rep: h.reps[0].token, otherRep: h.reps[1].token };
    const failures = new Map<string, string>();
    const accepted = new Map<string, number>();
    let before = await digests();
    let sent = 0;
    // Round-robin over the routes, so that each request meets the state the others left.
    for (let n = 0; n < perRoute; n++) {
      for (const [i, key] of routes.entries()) {
        const req: FuzzRequest = queues[i][n];
        const inject = () => h.app.inject({
          method: key.split(' ')[0] as 'POST',
          url: req.url,
          headers: { authorization: `Bearer ${tokens[req.actor]}`, ...(req.contentType === undefined ? {} : { 'content-type': req.contentType }), ...req.headers?.(h.clock.now()) },
          ...(req.payload === undefined ? {} : { payload: req.payload }),
        });
        const answers = await Promise.all(req.twice ? [inject(), inject()] : [inject()]);
        sent++;
        if (process.env.FUZZ_LOG && key.includes(process.env.FUZZ_LOG)) console.log(key, req.actor, clip(req.label, 100), answers.map((r) => `${r.statusCode} ${clip(r.body, 300)}`));
        const after = await digests();
        const statuses = answers.map((res) => res.statusCode);
        const problems = answers.flatMap((res) => problemsOf(res.statusCode, String(res.headers['content-type'] ?? ''), res.body, req.url));
        if (statuses.some((s) => s >= 200 && s < 300)) accepted.set(key, (accepted.get(key) ?? 0) + 1);
        if (statuses.every((s) => s >= 400 && s < 500)) {
          const changed = [...after.keys()].filter((t) => before.get(t) !== after.get(t));
          if (changed.length) problems.push(`changed ${changed.join(', ')}`);
        }
        before = after;
        if (problems.length) {
          const what = `${key} ← ${req.actor}: ${clip(req.label, 120)} → ${statuses.join(' and ')}`;
          if (!failures.has(what)) failures.set(what, `${[...new Set(problems)].join('; ')}: ${answers.map((res) => clip(res.body, 200)).join(' | ')} (url ${clip(req.url, 100)})`);
        }
      }
    }
    expect(sent).toBeGreaterThanOrEqual(AT_LEAST);
    const report = [...failures].map(([what, why]) => `${what}\n    ${why}`);
    // The accepted requests are accepted: the fuzz reaches past validation on every route.
    const neverAccepted = routes.filter((r) => !accepted.has(r));
    expect({ failing: report.length, neverAccepted }, `${report.length} failing inputs of ${sent}:\n${report.slice(0, 60).join('\n')}`)
      .toEqual({ failing: 0, neverAccepted: [] });
  }, 600_000);
});
