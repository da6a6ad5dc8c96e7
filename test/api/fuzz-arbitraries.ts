import fc from 'fast-check';
import { CALL_OUTCOMES, WEBHOOK_EVENTS } from '../../src/contract/enums.ts';
import { signCalcom, signCalendly } from '../../src/webhooks/booking-webhooks.ts';
import { ALWAYS_OPEN } from './helpers.ts';
import { CONTENT_TYPES, QUERIES, badParam, json, pick, show, structural, textual, type Body } from './fuzz-mutations.ts';

/**
 * Generators of the write-route fuzz test (fuzz.test.ts): for each route a request it
 * accepts, and mutations of it a client, a bug or an attacker could send.
 */

/** Ids and values of the seeded world that valid requests name. */
export interface FuzzWorld {
  userIds: string[];
  userEmails: string[];
  leadIds: string[];
  leadEmails: string[];
  /** Leads only DELETE names (one enrolled, with a task), so the others stay for the other routes. */
  erasableLeadIds: string[];
  cadenceIds: string[];
  /** Cadences archive does not name: the last is a draft only PATCH, activate and pause name. */
  editableCadenceIds: string[];
  /** A draft no other route names, which DELETE removes (then 404s); the active cadence beside it is a 409. */
  deletableCadenceIds: string[];
  enrollmentIds: string[];
  /** Enrolments only pause and resume name. */
  pausableIds: string[];
  taskIds: string[];
  /** Open tasks only skip names, and open tasks only snooze and reassign name (complete and exits close the rest early). */
  skippableTaskIds: string[];
  movableTaskIds: string[];
  messageIds: string[];
  emailTokens: string[];
  /** Rep 1's time off, which DELETE cancels one by one. */
  timeOffIds: string[];
  /** Open manual email tasks only send names; open tasks only bulk names. */
  manualTaskIds: string[];
  bulkTaskIds: string[];
  /** A rep no other route names, whom deactivate, reactivate, invitation and the test email name; its invitation's token. */
  spareUserIds: string[];
  invitationTokens: string[];
  /** Webhook endpoints: the first's deliveries are `deliveryIds`; the deletable ones only DELETE names. */
  webhookIds: string[];
  deletableWebhookIds: string[];
  deliveryIds: string[];
}

/** The signing secret of both booking providers in the fuzz world (fuzz.test.ts sets it; PUT sets it again). */
export const FUZZ_BOOKING_SECRET = 'fuzz booking secret';

export type Actor = 'admin' | 'rep' | 'otherRep';

export interface FuzzRequest {
  actor: Actor;
  url: string;
  contentType?: string;
  payload?: string | Buffer;
  /** What was done to the accepted request, for the failure report. */
  label: string;
  /** Sent twice at once: check-then-write races. */
  twice: boolean;
  /** Headers made when the request is sent (a signature over the body, with the clock of that moment). */
  headers?: (now: Date) => Record<string, string>;
}

type W = (w: FuzzWorld) => fc.Arbitrary<unknown>;

export interface RouteSpec {
  /** The accepted values of each `:param` of the path. */
  params?: Record<string, (w: FuzzWorld) => string[]>;
  /** An accepted JSON body; absent: the route takes no body. */
  json?: W;
  /** An accepted non-JSON body and its content type. */
  raw?: { contentType: string; body: (w: FuzzWorld) => fc.Arbitrary<string> };
  /** A provider's signature over the body as sent (mutations of the body are signed too, so they reach the parser). */
  sign?: (payload: string | Buffer, secret: string, now: Date) => Record<string, string>;
}

// ---- accepted values ----

const word = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }).filter((s) => s.trim().length > 0 && !s.includes('{'));
const newEmail = (prefix: string) => fc.nat({ max: 1e9 }).map((n) => `${prefix}${n}@example.com`);
/** The seeded reps' password (fuzz.test.ts sets it), and the one a change may give them. */
export const FUZZ_PASSWORDS = ['fuzz password one', 'fuzz password two'] as const;
const newPassword = fc.oneof(fc.constantFrom(...FUZZ_PASSWORDS), fc.string({ minLength: 10, maxLength: 40 }));
const instant = fc.integer({ min: Date.UTC(2026, 2, 1), max: Date.UTC(2027, 11, 31) }).map((t) => new Date(t).toISOString());
const day = instant.map((s) => s.slice(0, 10));
const snoozeUntil = fc.integer({ min: Date.UTC(2026, 2, 3), max: Date.UTC(2026, 8, 30) }).map((t) => new Date(t).toISOString());
const zone = fc.constantFrom('UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham');

/** A new address, or one taken already (as it is, or in capitals: emails are unique case-insensitively). */
const someEmail = (prefix: string, taken: string[]) => fc.oneof(
  { weight: 4, arbitrary: newEmail(prefix) },
  { weight: 1, arbitrary: pick(taken) },
  { weight: 1, arbitrary: pick(taken).map((e) => e.toUpperCase()) },
);
/** Sometimes the first element twice. */
const withRepeat = <T>(xs: fc.Arbitrary<T[]>) => fc.tuple(xs, fc.boolean()).map(([a, again]) => (again && a.length ? [...a, a[0]] : a));

const leadBody = (w: FuzzWorld) => fc.record({
  email: someEmail('lead', w.leadEmails),
  firstName: word, lastName: word, company: word,
  phone: fc.constantFrom('+1 555 0100', '020 7946 0000'),
  status: fc.constantFrom('New', 'Contacted', 'Qualified'),
  ownerId: pick(w.userIds.slice(1)),
  timezone: zone,
  module: fc.constantFrom('lead', 'contact'),
  fields: fc.dictionary(fc.constantFrom('industry', 'size', 'source'), fc.oneof(word, fc.integer({ min: 0, max: 1e6 }))),
}, { requiredKeys: ['email'] });

const step = fc.oneof(
  fc.record({ type: fc.constant('email'), subject: fc.constantFrom('Hi {{lead.firstName}}', 'Hello'), body: fc.constantFrom('Hi {{lead.firstName | fallback: "there"}}', 'A plain body'), delayDays: fc.integer({ min: 0, max: 5 }) }, { requiredKeys: ['type', 'subject', 'body'] }),
  fc.record({ type: fc.constant('call'), title: word, delay: fc.record({ amount: fc.oneof(fc.integer({ min: 0, max: 48 }), fc.constant(3650)), unit: fc.constantFrom('minutes', 'hours', 'days', 'business_days') }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('task'), title: word, instructions: word, priority: fc.constantFrom('low', 'normal', 'high'), condition: fc.constant({ stepIndex: 0, is: 'opened' }) }, { requiredKeys: ['type'] }),
);
const schedule = fc.constantFrom(
  ALWAYS_OPEN,
  { days: [6], start: '23:59', end: '00:00', timezone: 'Pacific/Kiritimati' },
  { days: [1, 3], windows: [{ start: '09:00', end: '09:01' }, { start: '23:00', end: '23:59' }] },
);
const cadenceFields = {
  name: word,
  module: fc.constantFrom('lead', 'contact'),
  // A condition refers to an earlier step: the first has none.
  steps: fc.array(step, { minLength: 1, maxLength: 3 }).map(([first, ...rest]) => [{ ...first, condition: undefined }, ...rest]),
  schedule,
  exitOn: fc.record({ onReply: fc.boolean(), fieldCriteria: fc.constant([{ field: 'status', in: ['Qualified'] }]), callOutcomes: fc.constant(['not_interested']), endDate: instant }, { requiredKeys: [] }),
  waitForTasks: fc.boolean(),
  taskTimeoutDays: fc.integer({ min: 0, max: 365 }),
  reenrollment: fc.constantFrom('never', 'after_exit', 'always'),
  throttle: fc.record({ perRepPerDay: fc.integer({ min: 1, max: 500 }) }),
  autoEnroll: fc.constant({ filter: [{ field: 'status', eq: 'New' }], existingRecords: true }),
  boosts: fc.constant([{ on: 'opened', stepIndex: 0, minCount: 2, action: { type: 'call', title: 'Hot lead', delayHours: 1 } }]),
};
const cadenceBody = fc.record(cadenceFields, { requiredKeys: ['name', 'steps'] });

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
const reply = (from: string, inReplyTo: string, text: string) => crlf(`From: Lead <${from}>
To: rep1@example.com
Subject: Re: Hello
Date: Mon, 02 Mar 2026 10:00:00 +0000
Message-ID: <reply-${text.length}@customer.example>
In-Reply-To: ${inReplyTo}
References: ${inReplyTo}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

${text}
`);

const users = (w: FuzzWorld) => w.userIds;
const leads = (w: FuzzWorld) => w.leadIds;
const cadences = (w: FuzzWorld) => w.editableCadenceIds;
const enrollFilter = (w: FuzzWorld) =>
  fc.record({ q: fc.constantFrom('example', 'bulk', 'nobody'), status: fc.constantFrom('New', 'Qualified'), ownerId: pick(w.userIds), cadenceId: pick(w.cadenceIds) }, { requiredKeys: [] });
const enrollments = (w: FuzzWorld) => w.enrollmentIds;

// ---- webhooks and booking integrations ----

const hookUrl = fc.constantFrom('http://127.0.0.1:9/hook', 'https://hooks.example.com/cadenza', 'http://localhost:9/a?b=c');
const hookEvents = fc.uniqueArray(fc.constantFrom(...WEBHOOK_EVENTS), { minLength: 1, maxLength: 4 });
/** Attendees: the world's leads (as written, or in capitals) and strangers. */
const attendee = (w: FuzzWorld) => fc.oneof(pick(w.leadEmails), pick(w.leadEmails).map((e) => e.toUpperCase()), newEmail('stranger'));
const bookingUid = fc.oneof(fc.constantFrom('uid-1', 'uid-2'), fc.string({ minLength: 1, maxLength: 30 }));
const calcomBody = (w: FuzzWorld) => fc.record({
  triggerEvent: fc.constantFrom('BOOKING_CREATED', 'BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'PING'),
  createdAt: instant,
  payload: fc.record({
    uid: bookingUid, startTime: instant, endTime: instant, rescheduleUid: fc.constantFrom('uid-1', 'uid-2'),
    attendees: fc.array(fc.record({ email: attendee(w), name: word, timeZone: zone }), { minLength: 1, maxLength: 3 }),
    organizer: fc.constant({ name: 'Rep One', email: 'rep1@example.com', timeZone: 'UTC' }),
  }, { requiredKeys: ['uid', 'attendees'] }),
});
const calendlyBody = (w: FuzzWorld) => fc.record({
  event: fc.constantFrom('invitee.created', 'invitee.created', 'invitee.canceled', 'invitee_no_show.created'),
  created_at: instant,
  payload: fc.record({
    uri: bookingUid.map((u) => `https://api.calendly.com/scheduled_events/E/invitees/${encodeURIComponent(u)}`),
    email: attendee(w), name: word, old_invitee: fc.constant(null),
    scheduled_event: fc.record({ start_time: instant, event_guests: fc.array(fc.record({ email: attendee(w) }), { maxLength: 2 }) }),
  }, { requiredKeys: ['uri', 'email'] }),
});
const providers = () => ['calcom', 'calendly'];

/** Webhook endpoints and booking providers (issue 15). */
const WEBHOOK_SPECS: Record<string, RouteSpec> = {
  'POST /api/webhooks': { json: () => fc.record({ url: hookUrl, events: hookEvents, description: word }, { requiredKeys: ['url', 'events'] }) },
  'PATCH /api/webhooks/:id': {
    params: { id: (w) => w.webhookIds },
    json: () => fc.record({ url: hookUrl, events: hookEvents, description: fc.option(word, { nil: null }), enabled: fc.boolean() }, { requiredKeys: [] }),
  },
  'DELETE /api/webhooks/:id': { params: { id: (w) => w.deletableWebhookIds } },
  'POST /api/webhooks/:id/rotate-secret': { params: { id: (w) => w.webhookIds } },
  'POST /api/webhooks/:id/deliveries/:deliveryId/retry': { params: { id: (w) => w.webhookIds, deliveryId: (w) => w.deliveryIds } },
  // Always the world's secret, so the providers' calls stay signed right.
  'PUT /api/integrations/:provider': { params: { provider: providers }, json: () => fc.constant({ secret: FUZZ_BOOKING_SECRET }) },
  'DELETE /api/integrations/:provider': { params: { provider: providers } },
  'POST /api/integrations/calcom': { json: calcomBody, sign: (payload, secret) => ({ 'x-cal-signature-256': signCalcom(secret, payload) }) },
  'POST /api/integrations/calendly': {
    json: calendlyBody,
    sign: (payload, secret, now) => ({ 'calendly-webhook-signature': signCalendly(secret, payload, Math.floor(now.getTime() / 1000)) }),
  },
};

/** Every write route of the server, keyed as `METHOD /path/:param`, with what it accepts. */
export const ROUTE_SPECS: Record<string, RouteSpec> = {
  'POST /api/users': { json: (w) => fc.record({ name: word, email: someEmail('user', w.userEmails), role: fc.constantFrom('admin', 'rep'), timezone: zone, password: newPassword }, { requiredKeys: ['name', 'email', 'role'] }) },
  // The seeded admin has no password, so setup is open until one request creates an admin who has.
  'POST /api/setup': { json: (w) => fc.record({ name: word, email: someEmail('setup', w.userEmails), password: newPassword }) },
  'POST /api/session': { json: (w) => fc.record({ email: pick(w.userEmails), password: fc.oneof(fc.constantFrom(...FUZZ_PASSWORDS), word) }) },
  'DELETE /api/session': {},
  // The reps' passwords are FUZZ_PASSWORDS[0]; a change may move them to the other.
  'PUT /api/users/me/password': { json: () => fc.record({ current: fc.constantFrom(...FUZZ_PASSWORDS), password: fc.constantFrom(...FUZZ_PASSWORDS) }) },
  'POST /api/users/:id/tokens': { params: { id: users } },
  // Name and zone only: a generated email or role change would reshape the world the other routes run in.
  'PATCH /api/users/:id': { params: { id: users }, json: () => fc.record({ name: word, timezone: fc.option(zone, { nil: null }) }, { requiredKeys: [] }) },
  'PUT /api/users/:id/mailbox': {
    params: { id: users },
    json: (w) => fc.record({ fromEmail: pick(w.userEmails), fromName: word, dailyLimit: fc.integer({ min: 1, max: 1000 }), hourlyLimit: fc.integer({ min: 1, max: 100 }), minIntervalSeconds: fc.integer({ min: 0, max: 600 }) }, { requiredKeys: ['fromEmail'] }),
  },
  'POST /api/users/:id/time-off': {
    params: { id: users },
    json: () => fc.tuple(instant, instant, fc.option(word, { nil: undefined })).map(([a, b, note]) => ({ from: a < b ? a : b, to: a < b ? b : a, ...(note ? { note } : {}) })),
  },
  'POST /api/users/:id/invitation': { params: { id: (w) => w.spareUserIds } },
  'POST /api/users/:id/deactivate': { params: { id: (w) => w.spareUserIds }, json: (w) => fc.record({ reassignTo: pick(w.userIds.slice(1)) }, { requiredKeys: [] }) },
  'POST /api/users/:id/reactivate': { params: { id: (w) => w.spareUserIds } },
  // No SMTP server in the fuzz harness: the answer says nothing was sent.
  'POST /api/users/:id/mailbox/test': { params: { id: (w) => w.spareUserIds }, json: (w) => fc.record({ to: pick(w.userEmails) }, { requiredKeys: [] }) },
  'POST /api/invitations/:token': { params: { token: (w) => w.invitationTokens }, json: () => fc.record({ password: newPassword }) },
  'DELETE /api/users/:id/time-off/:timeOffId': { params: { id: (w) => w.userIds.slice(1, 2), timeOffId: (w) => w.timeOffIds } },
  'POST /api/leads': { json: leadBody },
  'POST /api/leads/bulk': { json: (w) => fc.record({ records: withRepeat(fc.array(leadBody(w), { minLength: 1, maxLength: 3 })) }) },
  'PATCH /api/leads/:id': {
    params: { id: leads },
    json: (w) => fc.record({ email: someEmail('moved', w.leadEmails), status: fc.constantFrom('Contacted', 'Qualified'), company: word, firstName: word, phone: fc.constant(null), ownerId: pick(w.userIds.slice(1)), fields: fc.constant({ industry: 'Retail' }) }, { requiredKeys: [] }),
  },
  'POST /api/leads/:id/convert': { params: { id: leads } },
  'DELETE /api/leads/:id': { params: { id: (w) => w.erasableLeadIds } },
  'POST /api/cadences': { json: () => cadenceBody },
  // Only the spare draft, which nothing archives: the other two are archived soon.
  'PATCH /api/cadences/:id': { params: { id: (w) => w.editableCadenceIds.slice(-1) }, json: () => fc.record(cadenceFields, { requiredKeys: [] }) },
  'POST /api/cadences/:id/activate': { params: { id: cadences } },
  'POST /api/cadences/:id/pause': { params: { id: cadences } },
  'POST /api/cadences/:id/archive': { params: { id: (w) => w.cadenceIds } },
  'POST /api/cadences/:id/enrollments': {
    params: { id: cadences },
    json: (w) => fc.oneof(fc.record({ recordIds: withRepeat(fc.subarray(w.leadIds, { minLength: 1 })) }), fc.record({ filter: enrollFilter(w) })),
  },
  'POST /api/cadences/:id/enrollments/preflight': {
    params: { id: (w) => w.cadenceIds },
    json: (w) => fc.oneof(fc.record({ recordIds: withRepeat(fc.subarray([...w.leadIds, ...w.userIds], { minLength: 1 })) }), fc.record({ filter: enrollFilter(w) })),
  },
  'POST /api/cadences/:id/preview': {
    params: { id: (w) => w.cadenceIds },
    json: (w) => fc.record({ recordId: pick(w.leadIds), definition: fc.record(cadenceFields, { requiredKeys: [] }) }, { requiredKeys: ['recordId'] }),
  },
  'POST /api/cadences/:id/clone': { params: { id: (w) => w.cadenceIds } },
  // Its own draft (deleted, then 404) or the active cadence (409, "archive it"): the other routes' drafts stay.
  'DELETE /api/cadences/:id': { params: { id: (w) => [...w.deletableCadenceIds, w.cadenceIds[0]] } },
  'POST /api/cadences/auto-enroll/matches': {
    json: () => fc.record({ filter: fc.constantFrom([{ field: 'status', eq: 'New' }], [{ field: 'company', in: ['Acme', 'Globex'] }]), module: fc.constantFrom('lead', 'contact') }, { requiredKeys: ['filter'] }),
  },
  'POST /api/enrollments/:id/pause': { params: { id: (w) => w.pausableIds } },
  'POST /api/enrollments/:id/resume': { params: { id: (w) => w.pausableIds } },
  'POST /api/enrollments/:id/exit': { params: { id: enrollments } },
  'POST /api/tasks/:id/complete': {
    params: { id: (w) => w.taskIds },
    json: () => fc.record({ outcome: fc.constantFrom(...CALL_OUTCOMES), note: word }, { requiredKeys: [] }),
  },
  'POST /api/tasks/:id/skip': { params: { id: (w) => w.skippableTaskIds }, json: () => fc.record({ note: word }, { requiredKeys: [] }) },
  // Mostly within the months the fuzz clock passes through: a past one is a 400.
  'POST /api/tasks/:id/snooze': { params: { id: (w) => w.movableTaskIds }, json: () => fc.record({ until: snoozeUntil }) },
  'POST /api/tasks/:id/reassign': { params: { id: (w) => w.movableTaskIds }, json: (w) => fc.record({ ownerId: pick(w.userIds) }) },
  'POST /api/tasks/:id/send': { params: { id: (w) => w.manualTaskIds }, json: () => fc.record({ subject: word, body: word }, { requiredKeys: [] }) },
  // Ids that name no task (leads') fail alone, and the answer is still a 200; skips close only bulk's own tasks.
  'POST /api/tasks/bulk': {
    json: (w) => fc.oneof(
      fc.record({ action: fc.constant('skip'), ids: fc.subarray([...w.bulkTaskIds, ...w.leadIds], { minLength: 1 }), note: word }, { requiredKeys: ['action', 'ids'] }),
      fc.record({ action: fc.constant('snooze'), ids: fc.subarray([...w.bulkTaskIds, ...w.movableTaskIds], { minLength: 1 }), until: snoozeUntil }),
    ),
  },
  'POST /api/signals': {
    json: (w) => fc.oneof(
      fc.record({ type: fc.constantFrom('opened', 'clicked', 'replied'), recordId: pick(w.leadIds), at: fc.oneof(instant, fc.constantFrom('1970-01-01T00:00:00Z', '2999-12-31T23:59:59+14:00')) }, { requiredKeys: ['type', 'recordId'] }),
      fc.record({ type: fc.constantFrom('opened', 'clicked'), messageId: pick(w.messageIds) }),
    ),
  },
  'POST /api/inbound/email': {
    raw: { contentType: 'message/rfc822', body: (w) => fc.tuple(pick(w.leadEmails), pick(w.messageIds), word).map(([from, id, text]) => reply(from, id, text)) },
  },
  'POST /api/leads/import': {
    // A CSV file: a header and a few rows of new or known emails (twice at times), owners by email, values needing quotes.
    raw: {
      contentType: 'text/csv',
      body: (w) => fc.array(fc.tuple(someEmail('import', w.leadEmails), word, fc.option(pick(w.userEmails), { nil: '' })), { minLength: 1, maxLength: 3 })
        .map((rows) => `email,First Name,Owner\n${rows.map(([email, name, owner]) => `${email},"${name.replace(/"/g, '""')}",${owner}`).join('\n')}\n`),
    },
  },
  'POST /u/:token': {
    params: { token: (w) => w.emailTokens },
    raw: { contentType: 'application/x-www-form-urlencoded', body: () => fc.constant('List-Unsubscribe=One-Click') },
  },
  'PATCH /api/organization': {
    // Every field is optional: the empty patch too.
    json: () => fc.oneof(fc.constant({}), fc.record({ name: word, timezone: zone, workingDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }), holidays: fc.array(day, { maxLength: 3 }) }, { requiredKeys: [] })),
  },
  'POST /api/holidays': { json: () => fc.record({ dates: fc.array(day, { minLength: 1, maxLength: 3 }) }) },
  'DELETE /api/holidays/:date': { params: { date: () => ['2026-12-25', '2027-01-01'] } },
  'POST /api/dev/clock': { json: () => fc.record({ advance: fc.constantFrom('PT1M', 'PT1H', 'P1D', 'P30D') }) },
  ...WEBHOOK_SPECS,
};

/** How a signed route's request is signed: right mostly, else not at all, with another secret, or too long ago. */
const SIGNINGS = [
  { weight: 6, arbitrary: fc.constant({ secret: FUZZ_BOOKING_SECRET, skewMs: 0, label: '' }) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant({ secret: 'another secret', skewMs: 0, label: ', signed with another secret' }) },
  { weight: 1, arbitrary: fc.constant({ secret: FUZZ_BOOKING_SECRET, skewMs: -10 * 60_000, label: ', signed 10 minutes ago' }) },
];

const ACTORS: Actor[] = ['admin', 'admin', 'admin', 'rep', 'rep', 'otherRep'];

/** One request to the route `key`: accepted, or with its params, body, content type or query mutated. */
export function fuzzRequest(key: string, spec: RouteSpec, w: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const path = key.split(' ')[1];
  const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const params = fc.tuple(...names.map((n) => fc.oneof(
    { weight: 4, arbitrary: pick(spec.params![n](w)).map((v) => ({ v, label: '' })) },
    { weight: 1, arbitrary: badParam(w).map((v) => ({ v, label: `:${n}=${show(v)} ` })) },
  )));
  const accepted: fc.Arbitrary<Body> = spec.json ? spec.json(w).map((v) => json(v, 'accepted'))
    : spec.raw ? spec.raw.body(w).map((t) => ({ payload: t, contentType: spec.raw!.contentType, label: 'accepted' }))
      : fc.constant({ label: 'accepted' });
  const body = fc.oneof(
    { weight: 2, arbitrary: accepted },
    { weight: 4, arbitrary: structural(spec.json ? spec.json(w) : fc.constant({}), w) },
    { weight: 2, arbitrary: textual(accepted, w, spec.raw?.contentType === 'message/rfc822') },
    { weight: 1, arbitrary: fc.tuple(accepted, fc.constantFrom(...CONTENT_TYPES)).map(([b, ct]) => ({ payload: b.payload ?? '{}', contentType: ct, label: `content-type ${show(ct)}` })) },
  );
  const query = fc.oneof({ weight: 12, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(...QUERIES) });
  const twice = fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
  const signing = spec.sign ? fc.oneof(...SIGNINGS) : fc.constant(null);
  return fc.tuple(fc.constantFrom(...ACTORS), params, body, query, twice, signing).map(([actor, ps, b, q, t, sig]) => {
    let i = 0;
    const url = path.replace(/:(\w+)/g, () => ps[i++].v) + q;
    const signed = spec.sign ? (sig ? sig.label : ', unsigned') : '';
    const label = `${ps.map((p) => p.label).join('')}${b.label}${signed}${q ? ` ${show(q)}` : ''}${t ? ', twice at once' : ''}`;
    const headers = spec.sign && sig
      ? (now: Date) => spec.sign!(b.payload ?? '', sig.secret, new Date(now.getTime() + sig.skewMs))
      : undefined;
    return { actor, url, contentType: b.contentType, payload: b.payload, label, twice: t, headers };
  });
}
