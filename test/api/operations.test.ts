import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import { createContext } from '../../src/app/context.ts';
import { createUser, issueToken } from '../../src/app/users.ts';
import { buildServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/ops/logger.ts';
import { metricsServerFromEnv, startMetricsServer } from '../../src/ops/metrics-endpoint.ts';
import type { DB } from '../../src/store/schema.ts';
import { BACKENDS, freshDatabase } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, createCadence, createLead, enrollOne, expectError, expectNoStack, send } from './helpers.ts';

type Line = Record<string, any>;

/** A pino logger writing into an array, as the operator's log collector would read stdout. */
function capturedLogger(level = 'info') {
  const lines: Line[] = [];
  const log = createLogger({ LOG_LEVEL: level }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}

/** A server over a fresh database whose logs are captured; an admin token to call it. */
async function loggedServer(backend: (typeof BACKENDS)[number]) {
  const database = await freshDatabase(backend);
  const { log, lines } = capturedLogger();
  const ctx = createContext(database.db, new ManualClock(new Date('2026-03-02T08:00:00Z')), { publicUrl: 'http://cadenza.test', smtpUrl: null }, { log });
  const app = await buildServer(ctx, { metricsToken: null });
  const admin = await createUser(ctx, { name: 'Admin', email: 'admin@example.com', role: 'admin' });
  const token = await issueToken(ctx, admin.id);
  return { database, ctx, app, lines, token };
}

/** Reads one sample of the text format: `name{labels} value`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe.each(BACKENDS)('logs (%s)', (backend) => {
  let s: Awaited<ReturnType<typeof loggedServer>>;
  beforeAll(async () => { s = await loggedServer(backend); });
  afterAll(async () => {
    await s.app.close();
    await s.database.close();
  });

  it('logs a 5xx with its stack and the request id, and answers it without a stack', async () => {
    // A table goes missing under the server: the next read fails unexpectedly.
    await sql`alter table tasks rename to tasks_gone`.execute(s.ctx.db);
    try {
      const res = await send({ app: s.app } as Harness, {
        method: 'GET', url: '/api/tasks', headers: { authorization: `Bearer ${s.token}`, 'x-request-id': 'req-5xx-test' },
      });
      expectError(res, 500, 'internal');
      expectNoStack(res.body);
    } finally {
      await sql`alter table tasks_gone rename to tasks`.execute(s.ctx.db);
    }
    const mine = s.lines.filter((l) => l.reqId === 'req-5xx-test');
    const failure = mine.find((l) => l.level === 50 && l.err);
    expect(failure, JSON.stringify(mine)).toBeDefined();
    expect(failure!.err.stack).toMatch(/tasks/);
    expect(failure!.err.stack).toMatch(/\n\s+at /);
    const request = mine.find((l) => l.msg === 'request failed');
    expect(request).toMatchObject({ method: 'GET', url: '/api/tasks', route: '/api/tasks', statusCode: 500 });
  });

  it('logs one JSON line per request with its id, never the authorization header', async () => {
    const before = s.lines.length;
    const res = await s.app.inject({ method: 'GET', url: '/api/users', headers: { authorization: `Bearer ${s.token}` } });
    expect(res.statusCode).toBe(200);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const lines = s.lines.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, reqId: id, msg: 'request', method: 'GET', url: '/api/users', statusCode: 200 });
    expect(typeof lines[0].time).toBe('string');
    expect(JSON.stringify(s.lines)).not.toContain(s.token);
  });

  it('never logs the token of a tracking or unsubscribe link (its holder could unsubscribe the lead)', async () => {
    const before = s.lines.length;
    const token = 'SeCrEtToKeN123';
    for (const url of [`/u/${token}`, `/t/o/${token}`, `/t/c/${token}?x=1`]) {
      await s.app.inject({ method: 'GET', url });
    }
    const lines = s.lines.slice(before);
    expect(lines).toHaveLength(3);
    expect(JSON.stringify(lines)).not.toContain(token);
    expect(lines.map((l) => l.url)).toContain('/t/c/***?x=1');
  });

  it('keeps a well-formed incoming x-request-id and replaces one that is not', async () => {
    const kept = await s.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'lb-7f3a:01.2_x' } });
    expect(kept.headers['x-request-id']).toBe('lb-7f3a:01.2_x');
    expect(s.lines.at(-1)?.reqId).toBe('lb-7f3a:01.2_x');
    for (const bad of ['a'.repeat(129), 'has space', 'quote"s', '']) {
      const res = await s.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Errors and unknown routes carry it too.
    const missing = await s.app.inject({ method: 'GET', url: '/api/nothing-here', headers: { 'x-request-id': 'abc' } });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['x-request-id']).toBe('abc');
  });
});

describe('LOG_LEVEL', () => {
  it('sets the threshold, and an unknown level is refused by name', () => {
    const { log, lines } = capturedLogger('warn');
    log.info('quiet');
    log.warn('loud');
    expect(lines.map((l) => l.msg)).toEqual(['loud']);
    expect(() => createLogger({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL.*verbose/);
  });
});

describe.each(BACKENDS)('GET /api/health (%s)', (backend) => {
  it('answers 200 while the database answers, 503 with the error shape once it is closed', async () => {
    const s = await loggedServer(backend);
    try {
      const ok = await s.app.inject({ method: 'GET', url: '/api/health' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ ok: true });
      await s.database.close();
      const down = await send({ app: s.app } as Harness, { method: 'GET', url: '/api/health' });
      expectError(down, 503, 'unavailable');
      expect(s.lines.some((l) => l.level === 40 && l.msg.startsWith('health') && l.err?.stack)).toBe(true);
    } finally {
      await s.app.close();
    }
  });
});

describe('GET /api/health against a database that never answers', () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket));
  afterEach(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    silent.close(() => resolve());
  }));

  it('answers 503 once its timeout passes', async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    // A pool over a server that accepts connections and never says a word.
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: `postgres://nobody@127.0.0.1:${port}/none`, max: 1 }) }) });
    const ctx = createContext(db, new ManualClock(), { publicUrl: 'http://cadenza.test', smtpUrl: null });
    const app = await buildServer(ctx, { databaseTimeoutMs: 200 });
    const res = await send({ app } as Harness, { method: 'GET', url: '/api/health' });
    expectError(res, 503, 'unavailable');
    await app.close();
    for (const socket of sockets) socket.destroy();
    await db.destroy().catch(() => {});
  });
});

describe.each(BACKENDS)('GET /metrics (%s)', (backend) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(backend); });
  afterAll(() => h.close());

  const scrape = async () => {
    const res = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body;
  };

  it('names every metric of the contract', async () => {
    const text = await scrape();
    for (const name of [
      'cadenza_due_enrollments', 'cadenza_queued_emails', 'cadenza_email_sends_total',
      'cadenza_step_executions_total', 'cadenza_step_lag_seconds', 'cadenza_http_request_duration_seconds',
    ]) expect(text).toContain(`# TYPE ${name} `);
    expect(sample(text, 'cadenza_email_sends_total', { outcome: 'sent' })).toBe(0);
  });

  it('reads the backlog, then counts the step the engine executes, its lag and the send', async () => {
    const lead = await createLead(h, { email: 'metrics@example.com', firstName: 'Mia', ownerId: h.reps[0].id, timezone: 'UTC' });
    const cadence = await createCadence(h, {
      name: 'Metrics', schedule: ALWAYS_OPEN,
      steps: [{ type: 'email', subject: 'Hi {{lead.firstName}}', body: 'Hello' }, { type: 'call', delayDays: 1, title: 'Call' }],
    });
    await enrollOne(h, cadence.id, lead.id);
    let text = await scrape();
    expect(sample(text, 'cadenza_due_enrollments')).toBe(1);
    expect(sample(text, 'cadenza_step_executions_total', { type: 'email', result: 'executed' })).toBeUndefined();

    // A minute later the engine executes the step: the email is queued, not yet sent.
    h.clock.advance(60_000);
    expect(await h.engine.advanceDue(h.clock.now())).toBe(1);
    text = await scrape();
    expect(sample(text, 'cadenza_due_enrollments')).toBe(0);
    expect(sample(text, 'cadenza_queued_emails', { due: 'now' })).toBe(1);
    expect(sample(text, 'cadenza_step_executions_total', { type: 'email', result: 'executed' })).toBe(1);
    expect(sample(text, 'cadenza_step_lag_seconds_count')).toBe(1);
    expect(sample(text, 'cadenza_step_lag_seconds_sum')).toBe(60);

    expect(await h.engine.sendDue(h.clock.now())).toBe(1);
    text = await scrape();
    expect(sample(text, 'cadenza_queued_emails', { due: 'now' })).toBe(0);
    expect(sample(text, 'cadenza_email_sends_total', { outcome: 'sent' })).toBe(1);
  });

  it('times HTTP requests by route pattern, not by raw URL', async () => {
    const lead = await createLead(h, { email: 'route@example.com' });
    expect((await h.api('GET', `/api/leads/${lead.id}`)).status).toBe(200);
    await h.api('GET', '/api/no/such/route');
    const text = await scrape();
    expect(sample(text, 'cadenza_http_request_duration_seconds_count', { method: 'GET', route: '/api/leads/:id', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'cadenza_http_request_duration_seconds_count', { route: 'unmatched' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(lead.id);
  });

  it('with METRICS_TOKEN set, refuses a scrape without it as a bearer token', async () => {
    const app = await buildServer(h.ctx, { metricsToken: 's3cret-metrics' });
    try {
      for (const authorization of [undefined, 'Bearer wrong', 's3cret-metrics', `Bearer ${h.adminToken}`]) {
        const res = await send({ app } as Harness, { method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
        expectError(res, 401, 'unauthorized');
      }
      const ok = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer s3cret-metrics' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('cadenza_due_enrollments');
    } finally {
      await app.close();
    }
  });

  it('a worker serves the same on METRICS_PORT, with the same token rule', async () => {
    h.ctx.metrics.recordSends('deferred', 3);
    const server = await startMetricsServer(h.ctx, { port: 0, host: '127.0.0.1', token: 'w0rker' });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
      const refused = await fetch(url);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      const ok = await fetch(url, { headers: { authorization: 'Bearer w0rker' } });
      expect(ok.status).toBe(200);
      const text = await ok.text();
      expect(sample(text, 'cadenza_email_sends_total', { outcome: 'deferred' })).toBe(3);
      expect(sample(text, 'cadenza_due_enrollments')).toBeTypeOf('number');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await expect(metricsServerFromEnv(h.ctx, { METRICS_PORT: 'ninety' })).rejects.toThrow(/METRICS_PORT/);
    expect(await metricsServerFromEnv(h.ctx, {})).toBeNull();
  });
});
