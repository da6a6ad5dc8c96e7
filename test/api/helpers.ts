import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Harness } from '../support/harness.ts';

/** Shared checks and fixtures of the API contract suites (test/api). */

export type Res = { status: number; body: any };

/** A schedule open every minute of every day: steps fall due as soon as the clock moves. */
export const ALWAYS_OPEN = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' };

/** Ids that name nothing: a random UUID and strings that are not UUIDs at all. */
export const unknownIds = () => [randomUUID(), 'not-a-uuid', '12345'];

/** No stack trace, source path or internal frame anywhere in an answer. */
export function expectNoStack(body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  expect(text).not.toMatch(/\bat (?:\S+ \()?(?:file:|node:|\/)[^\s"]*:\d+:\d+/);
  expect(text).not.toMatch(/"stack"/);
  expect(text).not.toMatch(/node_modules|\/src\/|\.ts:\d+/);
}

/** `{status}` with `{"error":{"code","message"}}` and no stack trace. */
export function expectError(res: Res, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body?.error?.code, JSON.stringify(res.body)).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  expectNoStack(res.body);
}

/**
 * A 4xx whose message and `details[].path` name the bad field. `field` is the path
 * inside the body (`steps.0.type`); the details may carry it as `body.steps.0.type`.
 */
export function expectFieldError(res: Res, field: string, status = 400): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expectNoStack(res.body);
  const { message, details } = res.body.error ?? {};
  expect(message, JSON.stringify(res.body)).toContain(field);
  expect(Array.isArray(details), JSON.stringify(res.body)).toBe(true);
  const paths = (details as Array<{ path: string }>).map((d) => d.path);
  expect(paths.some((p) => p === `body.${field}` || p === field || p.startsWith(`body.${field}.`)), `details paths ${JSON.stringify(paths)} should name ${field}`).toBe(true);
}

/** Any request, with any headers and payload (the harness only speaks JSON with bearer tokens). */
export async function send(h: Harness, opts: InjectOptions): Promise<Res> {
  const res = await h.app.inject(opts);
  let body: unknown = res.body;
  try { body = res.json(); } catch { /* not JSON */ }
  return { status: res.statusCode, body };
}

/** Posts a raw RFC 5322 message to the inbound route. */
export function postInbound(h: Harness, raw: string | Buffer, token: string | null = h.adminToken, contentType = 'message/rfc822'): Promise<Res> {
  return send(h, {
    method: 'POST',
    url: '/api/inbound/email',
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), 'content-type': contentType },
    payload: raw,
  });
}

export const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

/** A human reply to one of our messages, threaded by In-Reply-To. */
export function replyMessage(from: string, inReplyTo: string, subject = 'Re: Hello'): string {
  return crlf(`From: Lead <${from}>
To: rep1@example.com
Subject: ${subject}
Date: Mon, 02 Mar 2026 10:00:00 +0000
Message-ID: <reply-${randomUUID()}@customer.example>
In-Reply-To: ${inReplyTo}
References: ${inReplyTo}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Thanks, happy to talk next week.
`);
}

/** An RFC 3464 delivery status notification: a permanent failure for `recipient`. */
export function dsnBounce(recipient: string): string {
  return crlf(`From: Mail Delivery System <MAILER-DAEMON@mx.sales.example>
To: rep1@example.com
Subject: Undelivered Mail Returned to Sender
Date: Mon, 02 Mar 2026 10:00:04 +0000
Message-ID: <dsn-${randomUUID()}@mx.sales.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY42"

This is a MIME-encapsulated message.

--BOUNDARY42
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered to one or more recipients.

<${recipient}>: host mx.customer.example said: 550 5.1.1 User unknown

--BOUNDARY42
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.sales.example

Final-Recipient: rfc822; ${recipient}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--BOUNDARY42--
`);
}

export async function createLead(h: Harness, body: Record<string, unknown>, token: string = h.adminToken): Promise<any> {
  const res = await h.api('POST', '/api/leads', body, token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function createCadence(h: Harness, body: Record<string, unknown>, activate = true): Promise<any> {
  const res = await h.api('POST', '/api/cadences', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  if (!activate) return res.body;
  const active = await h.api('POST', `/api/cadences/${res.body.id}/activate`);
  expect(active.status, JSON.stringify(active.body)).toBe(200);
  return active.body;
}

export async function enrollOne(h: Harness, cadenceId: string, recordId: string, token: string = h.adminToken): Promise<string> {
  const res = await h.api('POST', `/api/cadences/${cadenceId}/enrollments`, { recordIds: [recordId] }, token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.rejected, JSON.stringify(res.body)).toEqual([]);
  return res.body.enrolled[0].id;
}

export async function advance(h: Harness, duration: string): Promise<void> {
  const res = await h.api('POST', '/api/dev/clock', { advance: duration });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

export interface World {
  lead: any;
  cadence: any;
  enrollmentId: string;
  task: any;
  email: any;
}

/**
 * Rep 1's lead in an active cadence (email, then a call), after the email was sent
 * and the call task created: every kind of id a write route takes exists.
 */
export async function buildWorld(h: Harness, email = 'ada@example.com'): Promise<World> {
  const rep = h.reps[0];
  const lead = await createLead(h, { email, firstName: 'Ada', company: 'Acme', ownerId: rep.id, timezone: 'UTC' });
  const cadence = await createCadence(h, {
    name: `World ${email}`,
    schedule: ALWAYS_OPEN,
    exitOn: { fieldCriteria: [{ field: 'status', in: ['Qualified'] }] },
    steps: [
      { type: 'email', subject: 'Hello {{lead.firstName}}', body: 'Hi {{lead.firstName}}' },
      { type: 'call', title: 'Call {{lead.firstName}}' },
    ],
  });
  const enrollmentId = await enrollOne(h, cadence.id, lead.id);
  await advance(h, 'PT1M');
  const emails = (await h.api('GET', `/api/emails?enrollmentId=${enrollmentId}`)).body.items;
  expect(emails).toHaveLength(1);
  expect(emails[0].status).toBe('sent');
  const tasks = (await h.api('GET', `/api/tasks?status=open&enrollmentId=${enrollmentId}`)).body.items;
  expect(tasks).toHaveLength(1);
  return { lead, cadence, enrollmentId, task: tasks[0], email: emails[0] };
}

const COUNTED = ['users', 'api_tokens', 'mailboxes', 'leads', 'suppressions', 'cadences', 'cadence_versions', 'enrollments', 'tasks', 'emails', 'signals'] as const;

/** Row counts of the tables no list route shows in full (leads, tokens, signals…). */
export async function rowCounts(h: Harness): Promise<Record<string, number>> {
  const columns = COUNTED.map((t) => sql`(select count(*) from ${sql.table(t)})::int as ${sql.ref(t)}`);
  const { rows } = await sql<Record<string, number>>`select ${sql.join(columns)}`.execute(h.ctx.db);
  return Object.fromEntries(COUNTED.map((t) => [t, Number(rows[0][t])]));
}

/**
 * What a user would see of the world: the lead, the cadence, the enrolment, its
 * tasks and emails, the users, the mailboxes, the clock, and every table's size.
 */
export async function snapshot(h: Harness, w: World): Promise<Record<string, unknown>> {
  const get = async (url: string) => {
    const res = await h.api('GET', url);
    expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  const urls = {
    lead: `/api/leads/${w.lead.id}`,
    cadence: `/api/cadences/${w.cadence.id}`,
    enrollment: `/api/enrollments/${w.enrollmentId}`,
    tasks: '/api/tasks',
    emails: '/api/emails',
    users: '/api/users',
  };
  const [pages, mailboxes, counts] = await Promise.all([
    Promise.all(Object.values(urls).map(get)),
    h.ctx.db.selectFrom('mailboxes').selectAll().orderBy('user_id').execute(),
    rowCounts(h),
  ]);
  return {
    ...Object.fromEntries(Object.keys(urls).map((k, i) => [k, pages[i]])),
    mailboxes,
    now: h.clock.now().toISOString(),
    counts,
  };
}

export interface RouteCase {
  name: string;
  method: 'POST' | 'PUT' | 'PATCH';
  url: (w: World, id?: string) => string;
  /** A body the route would accept (for the ids of `w`). */
  body?: (w: World, h: Harness) => unknown;
  /** The route's `:id` names this kind of thing (absent: the route takes no id). */
  idOf?: (w: World, h: Harness) => string;
  admin?: boolean;
  raw?: boolean;
  /** The body itself may be left out (so a JSON null may mean "no body"). */
  optionalBody?: boolean;
}

/** Every write route of API.md, each with a body it would accept. */
export const WRITE_ROUTES: RouteCase[] = [
  { name: 'POST /api/users', method: 'POST', admin: true, url: () => '/api/users', body: () => ({ name: 'Zed', email: 'zed@example.com', role: 'rep', timezone: 'Europe/Paris' }) },
  { name: 'POST /api/users/:id/tokens', method: 'POST', admin: true, url: (_w, id) => `/api/users/${id}/tokens`, idOf: (_w, h) => h.reps[0].id },
  { name: 'PUT /api/users/:id/mailbox', method: 'PUT', url: (_w, id) => `/api/users/${id}/mailbox`, idOf: (_w, h) => h.reps[0].id, body: () => ({ fromEmail: 'hijack@evil.example', fromName: 'Hijack' }) },
  { name: 'POST /api/leads', method: 'POST', url: () => '/api/leads', body: () => ({ email: 'new@example.com' }) },
  { name: 'POST /api/leads/bulk', method: 'POST', url: () => '/api/leads/bulk', body: () => ({ records: [{ email: 'bulk1@example.com' }, { email: 'bulk2@example.com' }] }) },
  { name: 'PATCH /api/leads/:id', method: 'PATCH', url: (_w, id) => `/api/leads/${id}`, idOf: (w) => w.lead.id, body: () => ({ status: 'Qualified', company: 'Changed' }) },
  { name: 'POST /api/leads/:id/convert', method: 'POST', url: (_w, id) => `/api/leads/${id}/convert`, idOf: (w) => w.lead.id },
  { name: 'POST /api/cadences', method: 'POST', admin: true, url: () => '/api/cadences', body: () => ({ name: 'New', steps: [{ type: 'call', title: 'Call' }] }) },
  { name: 'PATCH /api/cadences/:id', method: 'PATCH', admin: true, url: (_w, id) => `/api/cadences/${id}`, idOf: (w) => w.cadence.id, body: () => ({ name: 'Renamed' }) },
  { name: 'POST /api/cadences/:id/activate', method: 'POST', admin: true, url: (_w, id) => `/api/cadences/${id}/activate`, idOf: (w) => w.cadence.id },
  { name: 'POST /api/cadences/:id/pause', method: 'POST', admin: true, url: (_w, id) => `/api/cadences/${id}/pause`, idOf: (w) => w.cadence.id },
  { name: 'POST /api/cadences/:id/archive', method: 'POST', admin: true, url: (_w, id) => `/api/cadences/${id}/archive`, idOf: (w) => w.cadence.id },
  { name: 'POST /api/cadences/:id/enrollments', method: 'POST', url: (_w, id) => `/api/cadences/${id}/enrollments`, idOf: (w) => w.cadence.id, body: (w) => ({ recordIds: [w.lead.id] }) },
  { name: 'POST /api/enrollments/:id/pause', method: 'POST', url: (_w, id) => `/api/enrollments/${id}/pause`, idOf: (w) => w.enrollmentId },
  { name: 'POST /api/enrollments/:id/resume', method: 'POST', url: (_w, id) => `/api/enrollments/${id}/resume`, idOf: (w) => w.enrollmentId },
  { name: 'POST /api/enrollments/:id/exit', method: 'POST', url: (_w, id) => `/api/enrollments/${id}/exit`, idOf: (w) => w.enrollmentId },
  { name: 'POST /api/tasks/:id/complete', method: 'POST', url: (_w, id) => `/api/tasks/${id}/complete`, idOf: (w) => w.task.id, optionalBody: true, body: () => ({ outcome: 'connected', note: 'spoke to Ada' }) },
  { name: 'POST /api/signals', method: 'POST', url: () => '/api/signals', body: (w) => ({ type: 'replied', recordId: w.lead.id }) },
  { name: 'POST /api/inbound/email', method: 'POST', admin: true, raw: true, url: () => '/api/inbound/email', body: (w) => replyMessage(w.lead.email, w.email.messageId) },
  { name: 'POST /api/dev/clock', method: 'POST', admin: true, url: () => '/api/dev/clock', body: () => ({ advance: 'P1D' }) },
];

/** Sends a route case with its accepted body, as `token` (null: none), to `id` (default: the world's). */
export function callRoute(h: Harness, w: World, route: RouteCase, token: string | null, id?: string, authorization?: string): Promise<Res> {
  const url = route.url(w, id ?? route.idOf?.(w, h));
  const body = route.body?.(w, h);
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  else if (token !== null) headers.authorization = `Bearer ${token}`;
  if (route.raw) headers['content-type'] = 'message/rfc822';
  else if (body !== undefined) headers['content-type'] = 'application/json';
  return send(h, {
    method: route.method,
    url,
    headers,
    ...(body === undefined ? {} : { payload: route.raw ? (body as string) : JSON.stringify(body) }),
  });
}
