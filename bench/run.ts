/**
 * npm run bench: every figure from one run on one PostgreSQL, written to BENCHMARKS.md.
 * BENCH_SCALE (default 1) shrinks the sizes for a quick look; DATABASE_URL picks the server;
 * BENCH_OUT writes the report elsewhere (CI runs the whole script at 1% into a scratch file).
 */
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { Engine, defaultEngineOptions } from '../src/engine/engine.ts';
import { outgoingMessage } from '../src/engine/sender.ts';
import { issueToken } from '../src/app/users.ts';
import { claimDue } from '../src/store/enrollment.repository.ts';
import { SmtpSink } from '../test/support/smtp-sink.ts';
import { compiled } from '../bin/compiled.mjs';
import { drainWith, postgresCpuMs, processCpuMs, startServe, startWorker, type BenchServe } from './processes.ts';
import { load, type LoadRequest, type LoadResult } from './http-load.ts';
import { timed } from './timed.ts';
import { ALWAYS, count, seedEnrollments, workspace } from './seed.ts';
import { repToday, TODAY_URL } from './rep-today.ts';
import { leadsSearch } from './leads-search.ts';
import { buildWebIfStale, CHROMIUM, todayBundle, todayInBrowser } from './web-today.ts';
import { DELIVERY_ROW, DELIVERY_TARGET, OVERHEAD_ROW, OVERHEAD_TARGET, webhooksSection, webhookWhy } from './webhooks.ts';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const scale = Number(process.env.BENCH_SCALE ?? 1);
const N_TASKS = Math.round(100_000 * scale);
const N_EMAILS = Math.round(20_000 * scale);
const N_FUTURE = Math.round(1_000_000 * scale);
const N_PGLITE = Math.round(20_000 * scale);
const N_API = Math.round(100_000 * scale);
const TASK_STEP = [{ type: 'task' as const, title: 'Research {{lead.firstName}}' }];
const EMAIL_STEP = [{ type: 'email' as const, subject: 'Hello {{lead.firstName}}', body: 'Hi {{lead.firstName}}, a quick question.' }];
const past = () => new Date(Date.now() - 60_000);
/** Cadenza email runs: [worker processes, SMTP connections (CADENZA_SEND_CONCURRENCY) each]. */
const EMAIL_RUNS = [[1, 8], [2, 4], [1, 16], [2, 8]] as const;

const rows: string[] = [];
const results: Record<string, number> = {};
const log = (name: string, value: number, unit: string, note = '') => {
  results[name] = value;
  const line = `| ${name} | ${value.toLocaleString('en-US', { maximumFractionDigits: 1 })} ${unit} | ${note} |`;
  rows.push(line);
  console.log(line);
};
const perSec = (n: number, ms: number) => (n / ms) * 1000;

async function bareSql(): Promise<void> {
  const w = await workspace({ url }, TASK_STEP);
  await seedEnrollments(w, N_TASKS, past());
  const now = new Date();
  const start = performance.now();
  await sql`
    with due as (
      select id, record_id, next_step_id from enrollments
      where status = 'active' and next_due_at <= ${now} for update skip locked),
    t as (
      insert into tasks (id, enrollment_id, step_id, record_id, owner_id, type, title, priority, due_at, status, created_at)
      select gen_random_uuid(), d.id, d.next_step_id, d.record_id, ${w.repId}::uuid, 'task', 'Research', 'normal', ${now}, 'open', ${now}
      from due d returning enrollment_id)
    update enrollments e set status = 'completed', next_step_id = null, next_due_at = null, ended_at = ${now}, updated_at = ${now}
    from t where e.id = t.enrollment_id`.execute(w.database.db);
  log('bare-SQL limit: one statement, task steps', perSec(N_TASKS, performance.now() - start), 'steps/s', `${N_TASKS.toLocaleString()} due task steps`);
  await w.drop();
}

async function cadenzaTasks(workers: number): Promise<void> {
  const w = await workspace({ url }, TASK_STEP);
  await seedEnrollments(w, N_TASKS, past());
  const { wallMs, reports } = await drainWith(workers, { DATABASE_SCHEMA: w.schema, DATABASE_URL: url });
  const done = await count(w, sql`select count(*)::int as n from step_executions`);
  if (done !== N_TASKS) throw new Error(`expected ${N_TASKS} executions, got ${done}`);
  log(`Cadenza task steps, ${workers} worker${workers > 1 ? 's' : ''}`, perSec(N_TASKS, wallMs), 'steps/s',
    `peak RSS ${Math.max(...reports.map((r) => r.rssPeak / 2 ** 20)).toFixed(0)} MB`);
  await w.drop();
}

/**
 * Writes out what earlier sections left dirty, so that no timed run pays for another's
 * checkpoint; with `vacuumed`, first vacuums and analyzes that table of a fresh bulk
 * load, as autovacuum would have, so that the timing does not share the machine with it.
 */
async function settle(vacuumed?: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  if (vacuumed) await c.query(`vacuum (analyze) ${vacuumed}`);
  await c.query('checkpoint');
  await c.end();
}

const emailName = (workers: number, lanes: number) =>
  `Cadenza email steps to SMTP, ${workers} worker${workers > 1 ? 's' : ''} × ${lanes} connections`;
/** Each Cadenza email run's throughput over raw nodemailer's, measured just before it. */
const emailRatios: number[] = [];
/** CPU per email (ms) of each part, by row name: what the "why" text reasons from. */
const emailCpu: Record<string, { sender: number; postgres: number | null; sink: number }> = {};
const ms2 = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));
/** Runs `fn` and returns the CPU per email (ms) of PostgreSQL and of this process, which hosts the sink. */
async function cpuDuring<T>(fn: () => Promise<T>): Promise<{ result: T; postgres: number | null; sink: number }> {
  const pgBefore = postgresCpuMs();
  const { result, cpuMs } = await timed(fn);
  const pgAfter = postgresCpuMs();
  return {
    result,
    postgres: pgBefore === null || pgAfter === null ? null : (pgAfter - pgBefore) / N_EMAILS,
    sink: cpuMs / N_EMAILS,
  };
}
const rawName = (connections: number) => `raw nodemailer, pooled (${connections} connections)`;

async function cadenzaEmails(workers: number, lanes: number, sink: SmtpSink, smtpUrl: string): Promise<void> {
  const w = await workspace({ url }, EMAIL_STEP, smtpUrl);
  await seedEnrollments(w, N_EMAILS, past());
  await settle();
  const before = sink.accepted;
  const { result: { wallMs, reports }, postgres, sink: sinkCpu } = await cpuDuring(() =>
    drainWith(workers, { DATABASE_SCHEMA: w.schema, DATABASE_URL: url, SMTP_URL: smtpUrl, CADENZA_SEND_CONCURRENCY: String(lanes) }));
  const got = sink.accepted - before;
  if (got !== N_EMAILS) throw new Error(`expected ${N_EMAILS} emails at the sink, got ${got}`);
  const rate = perSec(N_EMAILS, wallMs);
  // Set against the raw run just before it: the machine's speed drifts over minutes.
  emailRatios.push(rate / results[rawName(workers * lanes)]);
  const workerCpu = reports.reduce((sum, r) => sum + r.cpuMs, 0) / N_EMAILS;
  emailCpu[emailName(workers, lanes)] = { sender: workerCpu, postgres, sink: sinkCpu };
  log(emailName(workers, lanes), rate, 'emails/s',
    `${((rate / results[rawName(workers * lanes)]) * 100).toFixed(0)}% of raw nodemailer with as many connections (the row above); ` +
    `CPU an email: workers ${ms2(workerCpu)} ms, PostgreSQL ${ms2(postgres)} ms, sink ${ms2(sinkCpu)} ms; rendered, tracked, composed, exactly-once bookkeeping`);
  await w.drop();
}

/**
 * Raw nodemailer as an application would use it: the very messages Cadenza sends
 * (queued by the engine), handed to a pooled transport as mail options, composed by
 * nodemailer at send time, no database. It runs in its own process, as each Cadenza
 * worker does, so that it does not share a thread with the sink. `prebuilt` sends the
 * composed bytes instead: the bare SMTP limit, shown beside it.
 */
async function rawNodemailer(connections: number, sink: SmtpSink, smtpUrl: string, prebuilt = false): Promise<void> {
  const file = await messagesFile();
  await settle();
  const sender = await startWorker(
    { RAW_MESSAGES: file, RAW_CONNECTIONS: String(connections), RAW_SMTP_URL: smtpUrl, RAW_PREBUILT: prebuilt ? '1' : '0' },
    'bench/raw-sender.ts',
  );
  const before = sink.accepted;
  const { result: { ms, cpuMs }, sink: sinkCpu } = await cpuDuring(() => {
    sender.send('go');
    return sender.next();
  });
  sender.send('stop');
  await once(sender.child, 'exit');
  if (sink.accepted - before !== N_EMAILS) throw new Error('raw nodemailer lost mail');
  const cpu = `CPU an email: client ${ms2(cpuMs / N_EMAILS)} ms, sink ${ms2(sinkCpu)} ms`;
  if (prebuilt) {
    log(`bare SMTP: nodemailer sending prebuilt bytes (${connections} connections)`, perSec(N_EMAILS, ms), 'emails/s', `the same messages, composed beforehand; one process, no database; ${cpu}`);
    return;
  }
  emailCpu[rawName(connections)] = { sender: cpuMs / N_EMAILS, postgres: null, sink: sinkCpu };
  log(rawName(connections), perSec(N_EMAILS, ms), 'emails/s', `the same messages as mail options, composed at send time; one process, no database; ${cpu}`);
}

let queuedMessages: string | null = null;
/** A file with the messages of an email drain, queued by the real engine, as the sender reads them. */
async function messagesFile(): Promise<string> {
  if (queuedMessages) return queuedMessages;
  const w = await workspace({ url }, EMAIL_STEP, 'smtp://127.0.0.1:1');
  await seedEnrollments(w, N_EMAILS, past());
  await new Engine(w.ctx).advanceDue(new Date());
  const emails = await w.database.db.selectFrom('emails').selectAll().execute();
  const file = join(mkdtempSync(join(tmpdir(), 'cadenza-bench-')), 'messages.json');
  writeFileSync(file, JSON.stringify(emails.map((e) => ({
    envelope: { from: e.from_email, to: [e.to_email] },
    message: outgoingMessage(e, 'http://bench.test'),
  }))));
  await w.drop();
  return (queuedMessages = file);
}

async function pgBoss(): Promise<void> {
  const w = await workspace({ url }, TASK_STEP);
  await seedEnrollments(w, N_TASKS, past());
  const boss = new PgBoss({ connectionString: url, schema: `${w.schema}_boss`, max: 8, supervise: false, schedule: false });
  boss.on('error', () => {});
  await boss.start();
  await boss.createQueue('step');
  const ids = (await sql<{ id: string; record_id: string; next_step_id: string }>`select id, record_id, next_step_id from enrollments`.execute(w.database.db)).rows;
  for (let i = 0; i < ids.length; i += 5000) {
    await boss.insert(ids.slice(i, i + 5000).map((e) => ({ name: 'step', data: e })));
  }
  const db = w.database.db;
  const start = performance.now();
  // Tuned: batch fetch of 100 and four workers polling every 0.5 s; the handler runs the same SQL per step.
  for (let i = 0; i < 4; i++) {
    await boss.work<{ id: string; record_id: string; next_step_id: string }>('step', { batchSize: 100, pollingIntervalSeconds: 0.5 }, async (jobs) => {
      for (const job of jobs) {
        const now = new Date();
        await db.transaction().execute(async (trx) => {
          await sql`insert into tasks (id, enrollment_id, step_id, record_id, owner_id, type, title, priority, due_at, status, created_at)
            values (gen_random_uuid(), ${job.data.id}, ${job.data.next_step_id}, ${job.data.record_id}, ${w.repId}::uuid, 'task', 'Research', 'normal', ${now}, 'open', ${now})`.execute(trx);
          await sql`update enrollments set status = 'completed', next_step_id = null, next_due_at = null, ended_at = ${now}, updated_at = ${now} where id = ${job.data.id}`.execute(trx);
        });
      }
    });
  }
  while ((await count(w, sql`select count(*)::int as n from tasks`)) < N_TASKS) await delay(100);
  const ms = performance.now() - start;
  await boss.stop({ graceful: false, wait: true });
  log('pg-boss 10, tuned, one job per step', perSec(N_TASKS, ms), 'steps/s', 'batchSize 100, 4 workers, same SQL per job');
  const c = w.database.db;
  await sql.raw(`drop schema ${w.schema}_boss cascade`).execute(c);
  await w.drop();
}

async function pglite(): Promise<void> {
  const w = await workspace('pglite', TASK_STEP);
  await seedEnrollments(w, N_PGLITE, past());
  const engine = new Engine(w.ctx, defaultEngineOptions('bench'));
  const start = performance.now();
  await engine.drain();
  const ms = performance.now() - start;
  await engine.stop();
  log('Cadenza task steps on PGlite (embedded), 1 process', perSec(N_PGLITE, ms), 'steps/s', `${N_PGLITE.toLocaleString()} due task steps`);
  await w.drop();
}

/** The due query at the batch size a worker uses by default. */
const CLAIM_BATCH = defaultEngineOptions().batchSize;
const dueName = (future: string) => `due query per batch of ${CLAIM_BATCH}, ${future} future enrolments`;
/** The future enrolments beside the due ones in the large case: the 10k of the small one and N_FUTURE more. */
const FUTURE_TOTAL = 10_000 + N_FUTURE;
const FUTURE_LABEL = FUTURE_TOTAL >= 1e6 ? `${(FUTURE_TOTAL / 1e6).toFixed(1)}M` : `${Math.round(FUTURE_TOTAL / 1000)}k`;

async function claimTime(w: Awaited<ReturnType<typeof workspace>>): Promise<number> {
  const samples: number[] = [];
  for (let i = -5; i < 100; i++) {
    const start = performance.now();
    await w.database.db.transaction().execute(async (trx) => {
      await claimDue(trx, new Date(), CLAIM_BATCH);
      throw new Error('rollback');
    }).catch(() => undefined);
    if (i >= 0) samples.push(performance.now() - start); // the first five warm the cache
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

async function futureBacklog(): Promise<void> {
  const w = await workspace({ url }, TASK_STEP);
  await seedEnrollments(w, 10_000, past());
  await seedEnrollments(w, 10_000, new Date(Date.now() + 30 * 86_400_000), 10_000);
  await settle(`${w.schema}.enrollments`);
  const small = await claimTime(w);
  await seedEnrollments(w, N_FUTURE, new Date(Date.now() + 30 * 86_400_000), 20_000);
  await settle(`${w.schema}.enrollments`);
  const large = await claimTime(w);
  log(dueName('10k'), small, 'ms', 'median of 100 claims (claim, lock, roll back) after 5 warm-up claims, the table vacuumed after its bulk load');
  log(dueName(FUTURE_LABEL), large, 'ms', `${(large / small).toFixed(2)}× the 10k figure`);
  const { wallMs, reports } = await drainWith(1, { DATABASE_SCHEMA: w.schema, DATABASE_URL: url });
  log(`worker draining 10k due beside ${FUTURE_LABEL} future`, perSec(10_000, wallMs), 'steps/s', '');
  log('worker peak RSS during the 1M run', reports[0].rssPeak / 2 ** 20, 'MB', 'sampled every 50 ms');
  await w.drop();
}

async function lag(): Promise<void> {
  const w = await workspace({ url }, TASK_STEP);
  const worker = await startWorker({ DATABASE_SCHEMA: w.schema, DATABASE_URL: url, CADENZA_POLL_MS: '200' });
  worker.send('loop');
  const rate = 500; // enrolments falling due per second
  const seconds = 15;
  for (let s = 0; s < seconds * 10; s++) {
    await seedEnrollments(w, rate / 10, new Date(), s * (rate / 10));
    await delay(100);
  }
  while ((await count(w, sql`select count(*)::int as n from step_executions`)) < rate * seconds) await delay(100);
  worker.send('stop');
  await once(worker.child, 'exit');
  const { rows } = await sql<{ p50: number; p95: number; max: number }>`
    select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.95) within group (order by ms) as p95, max(ms) as max
    from (select extract(epoch from (x.at - e.enrolled_at)) * 1000 as ms from step_executions x join enrollments e on e.id = x.enrollment_id) l`.execute(w.database.db);
  log(`lag from due to executed at ${rate}/s, p50`, Number(rows[0].p50), 'ms', 'poll interval 200 ms');
  log(`lag from due to executed at ${rate}/s, p95`, Number(rows[0].p95), 'ms', `max ${Number(rows[0].max).toFixed(0)} ms`);
  await w.drop();
}

/** Sent emails whose tracking pixels the pixel row fetches, and opens timed in each open row. */
const N_OPEN_EMAILS = Math.min(N_API, Math.round(10_000 * Math.max(scale, 0.1)));
const N_OPENS = Math.round(20_000 * Math.max(scale, 0.1));
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15';
/**
 * Opens come from many mail clients at once: the capacity rows use 64 concurrent clients,
 * since 16 clients that each wait for their answer measure the latency (16 ÷ latency),
 * not what one serve takes in. The 16-client row is kept beside them for comparison.
 */
const OPEN_CLIENTS = 64;
const OPENS_API = `opens through the API (POST /api/signals), ${OPEN_CLIENTS} concurrent clients`;
const OPENS_PIXEL = `opens through the tracking pixel (GET /t/o/:token), ${OPEN_CLIENTS} concurrent clients`;
const TASKS_P99 = 'GET /api/tasks?status=open of a rep with a long queue, p99';
const msText = (x: number) => `${x.toFixed(1)} ms`;
const latencies = (r: LoadResult) => `p50 ${msText(r.p50)}, p99 ${msText(r.p99)}`;

/** Warms the server's code and connections, then times `n` requests, with the CPU (ms) each cost the server and PostgreSQL. */
async function timedLoad(serve: BenchServe, n: number, clients: number, request: (i: number) => LoadRequest, status: number) {
  await load(serve.base, Math.min(1000, Math.ceil(n / 10)), clients, request, status);
  const pid = serve.child.pid!;
  const [serveBefore, pgBefore] = [processCpuMs(pid), postgresCpuMs()];
  const result = await load(serve.base, n, clients, request, status);
  const [serveAfter, pgAfter] = [processCpuMs(pid), postgresCpuMs()];
  const per = (a: number | null, b: number | null) => (a === null || b === null ? null : (b - a) / n);
  return { ...result, serveCpu: per(serveBefore, serveAfter), postgresCpu: per(pgBefore, pgAfter) };
}
const cpuText = (r: { serveCpu: number | null; postgresCpu: number | null }) =>
  `CPU a request: serve ${ms2(r.serveCpu)} ms, PostgreSQL ${ms2(r.postgresCpu)} ms`;

/** The API as one `cadenza serve` process (API only) answers it, on the workspace's schema. */
async function api(): Promise<void> {
  const w = await workspace({ url }, TASK_STEP);
  const admin = await w.database.db.selectFrom('users').select('id').where('role', '=', 'admin').executeTakeFirstOrThrow();
  const adminAuth = { authorization: `Bearer ${await issueToken(w.ctx, admin.id)}` };
  const repAuth = { authorization: `Bearer ${await issueToken(w.ctx, w.repId)}` };
  const serve = await startServe({ DATABASE_URL: url, DATABASE_SCHEMA: w.schema, CADENZA_ENGINE: '0' });
  const base = serve.base;
  const call = async (path: string, body: unknown) => {
    const res = await fetch(base + path, { method: 'POST', headers: { ...adminAuth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const ids: string[] = [];
  let start = performance.now();
  for (let i = 0; i < N_API; i += 10_000) {
    const records = Array.from({ length: Math.min(10_000, N_API - i) }, (_, j) => ({ email: `a${i + j}@bench.test`, firstName: `A${i + j}`, ownerId: w.repId }));
    ids.push(...(await call('/api/leads/bulk', { records })).created);
  }
  log('bulk lead creation through the API', perSec(N_API, performance.now() - start), 'leads/s', '10,000 a request');

  // Sent emails to open: an email then a call, with a boost on clicks, as a sales team sets one up.
  const opens = await call('/api/cadences', {
    name: 'Opens', schedule: ALWAYS, waitForTasks: false,
    steps: [{ ...EMAIL_STEP[0], body: 'Hi {{lead.firstName}}, <a href="https://example.com/pricing">our pricing</a>.' }, { type: 'call', delayDays: 3, title: 'Call' }],
    boosts: [{ on: 'clicked', stepIndex: 0, action: { type: 'call', title: 'Hot: {{lead.firstName}} clicked' } }],
  });
  await call(`/api/cadences/${opens.id}/activate`, {});
  await call(`/api/cadences/${opens.id}/enrollments`, { recordIds: ids.slice(0, N_OPEN_EMAILS) });
  const engine = new Engine(w.ctx);
  await engine.advanceDue(new Date());
  await engine.stop();
  await sql`update emails set status = 'sent', sent_at = ${new Date(Date.now() - 3_600_000)}`.execute(w.database.db);
  const tokens = (await sql<{ token: string }>`select token from emails`.execute(w.database.db)).rows.map((r) => r.token);
  if (tokens.length !== N_OPEN_EMAILS) throw new Error(`expected ${N_OPEN_EMAILS} emails to open, got ${tokens.length}`);
  await settle(`${w.schema}.emails`);

  start = performance.now();
  for (let i = 0; i < ids.length; i += 10_000) await call(`/api/cadences/${w.cadenceId}/enrollments`, { recordIds: ids.slice(i, i + 10_000) });
  log(`bulk enrolment of ${(N_API / 1000).toFixed(0)}k leads through the API`, perSec(N_API, performance.now() - start), 'enrolments/s', '10,000 a request');

  const before = await count(w, sql`select count(*)::int as n from signals`);
  const apiOpen = (i: number): LoadRequest => ({ method: 'POST', path: '/api/signals', headers: adminAuth, body: { type: 'opened', recordId: ids[i % ids.length] } });
  const by16 = await timedLoad(serve, N_OPENS, 16, apiOpen, 202);
  log('signal ingestion through the API: opened', by16.rate, 'signals/s', `16 concurrent clients, each waiting for its answer; ${latencies(by16)}; ${cpuText(by16)}`);
  const byApi = await timedLoad(serve, N_OPENS, OPEN_CLIENTS, apiOpen, 202);
  log(OPENS_API, byApi.rate, 'opens/s', `naming the record; one serve; ${latencies(byApi)}; ${cpuText(byApi)}`);
  const byPixel = await timedLoad(serve, N_OPENS, OPEN_CLIENTS, (i) => ({ method: 'GET', path: `/t/o/${tokens[i % tokens.length]}`, headers: { 'user-agent': BROWSER } }), 200);
  log(OPENS_PIXEL, byPixel.rate, 'opens/s', `a browser's opens of ${N_OPEN_EMAILS.toLocaleString()} sent emails (a boost on clicks); ${latencies(byPixel)}; ${cpuText(byPixel)}`);
  const recorded = (await count(w, sql`select count(*)::int as n from signals`)) - before;
  const sent = 3 * (N_OPENS + Math.min(1000, Math.ceil(N_OPENS / 10)));
  if (recorded !== sent) throw new Error(`expected ${sent} opens recorded, got ${recorded}`);

  const replies = Math.min(Math.round(5000 * Math.max(scale, 0.2)), N_API / 2); // the other half keeps a task step for the queue below
  const replied = await load(base, replies, 16, (i) => ({ method: 'POST', path: '/api/signals', headers: adminAuth, body: { type: 'replied', recordId: ids[ids.length - 1 - i] } }), 202);
  log('signal ingestion through the API: replied', replied.rate, 'signals/s', `each exits an enrolment, cancelling its work; ${latencies(replied)}`);

  // The rep's queue: a worker runs the task step of every enrolment, all of them the rep's.
  await drainWith(1, { DATABASE_SCHEMA: w.schema, DATABASE_URL: url });
  await settle(`${w.schema}.tasks`);
  const queue = await count(w, sql`select count(*)::int as n from tasks where status = 'open' and owner_id = ${w.repId}`);
  const tasks = await timedLoad(serve, Math.round(2000 * Math.max(scale, 0.25)), 10, () => ({ method: 'GET', path: '/api/tasks?status=open', headers: repAuth }), 200);
  log(TASKS_P99, tasks.p99, 'ms', `${queue.toLocaleString()} open tasks, pages of 100, 10 concurrent clients; p50 ${msText(tasks.p50)}, ${tasks.rate.toFixed(0)} pages/s; ${cpuText(tasks)}`);
  await serve.stop();
  await w.drop();
}

/** A rep's Today (issue 12): the open tasks due today of one rep, among other reps' as many. */
const N_TODAY = Math.round(5_000 * scale);
const TODAY_ROW = `GET ${TODAY_URL} first page, a rep with ${N_TODAY.toLocaleString('en-US')} open tasks due today, server time p99`;
const TODAY_TARGET = `a rep with 5,000 open tasks: GET ${TODAY_URL} first page < 50 ms server time (p99) on PostgreSQL`;

async function today(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const r = await repToday(url, N_TODAY, Math.round(500 * Math.max(scale, 0.2)));
  // The tail follows whatever else the machine runs: its load goes with the figure.
  const load = `the machine's load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${cpus().length} cores`;
  log(TODAY_ROW, r.p99, 'ms',
    `p50 ${msText(r.p50)} (the serve's request log); ${r.requests} requests one at a time, pages of ${r.pageSize}, hot leads first; ` +
    `${r.hot.toLocaleString('en-US')} of the rep's tasks hot, beside opens, proxies' clicks and older clicks; ` +
    `${r.others.toLocaleString('en-US')} other reps' open tasks; the client's round trip p50 ${msText(r.clientP50)}; ` +
    `CPU a request: serve ${ms2(r.serveCpu)} ms; ${load}`);
}

/** The web app's Today (issue 12): what its first load weighs, and the page in Chromium for a rep with 5,000 open tasks. */
const N_WEB_TODAY = Math.round(5_000 * scale);
const WEB_RUNS = 5;
const FIRST_PAGE_ROW = 'web app: the first page (/today), its JavaScript and CSS gzipped';
const FIRST_PAGE_TARGET = 'the first page\'s JavaScript and CSS < 250 kB gzipped';
const WEB_TODAY_ROW = `web app: Today in Chromium, a rep with ${N_WEB_TODAY.toLocaleString('en-US')} open tasks, first rows shown (median of ${WEB_RUNS})`;
const WEB_TODAY_TARGET = 'a rep with 5,000 open tasks: the Today page usable (first rows shown) < 1.5 s in Chromium';
const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

async function web(): Promise<void> {
  buildWebIfStale();
  const bundle = todayBundle();
  log(FIRST_PAGE_ROW, bundle.gzip / 1024, 'kB',
    `${bundle.files.length} files of web/dist (gzip -6, as the build's report): what index.html loads and preloads, then the ` +
    `Today page's chunk and what it imports; largest ${bundle.files.slice(0, 3).map((f) => `${f.name} ${kB(f.gzip)}`).join(', ')}`);
  const r = await todayInBrowser(url, N_WEB_TODAY, WEB_RUNS);
  if (!r) {
    console.log(`(${WEB_TODAY_ROW}: not measured, no Chromium at ${CHROMIUM})`);
    return;
  }
  log(WEB_TODAY_ROW, r.median, 'ms',
    `navigation start to the first task row in the DOM, each run in a fresh browser context (an empty cache: a new visit), ` +
    `signed in by password; runs ${r.runs.map((x) => x.toFixed(0)).join(', ')} ms after one warm-up (medians: index.html in at ` +
    `${r.html.toFixed(0)} ms, the last script at ${r.scripts.toFixed(0)} ms, the queue's answer at ${r.queue.toFixed(0)} ms); one serve (API only) on the ` +
    `rep-today seeding (${r.tasks.toLocaleString('en-US')} of the rep's tasks due today among four other reps' as many); ` +
    `Debian's Chromium (headless) fetched ${r.loaded.files.length} JS/CSS files, ${kB(r.loaded.gzip)} gzipped; ` +
    `the machine's load average was ${loadavg()[0]!.toFixed(1)} at the end (its other work slows the browser most)`);
}

/** CSV import (issue 13): a 50,000-row file through POST /api/leads/import, as one upload, then the same file again (updates). */
const N_IMPORT = Math.round(50_000 * scale);
const IMPORT_ROW = `CSV import of ${N_IMPORT.toLocaleString('en-US')} rows through the API (POST /api/leads/import), new leads`;
const IMPORT_TARGET = 'CSV import of 50,000 rows through the API < 10 s on PostgreSQL';

async function importCsv(): Promise<void> {
  const w = await workspace({ url }, TASK_STEP);
  const admin = await w.database.db.selectFrom('users').select('id').where('role', '=', 'admin').executeTakeFirstOrThrow();
  const auth = { authorization: `Bearer ${await issueToken(w.ctx, admin.id)}`, 'content-type': 'text/csv' };
  const serve = await startServe({ DATABASE_URL: url, DATABASE_SCHEMA: w.schema, CADENZA_ENGINE: '0' });
  const header = 'Email,First Name,Last Name,Company Name,Phone,Status,Time Zone,Owner,Industry,Source\n';
  const zones = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', ''];
  const rows = Array.from({ length: N_IMPORT }, (_, i) =>
    `lead${i}@import.bench.test,First${i},"Last, ${i}",Company ${i % 997},+1 555 ${String(i).padStart(7, '0')},New,${zones[i % 4]},rep@bench.test,Industry ${i % 13},Fair 2026\n`);
  const file = Buffer.from(header + rows.join(''));
  const post = async () => {
    const { result: res, ms } = await timed(() => fetch(`${serve.base}/api/leads/import`, { method: 'POST', headers: auth, body: file }));
    const report = await res.json() as { created: number; updated: number; rejected: unknown[] };
    if (res.status !== 201 || report.rejected.length > 0) throw new Error(`import: ${res.status} ${JSON.stringify(report).slice(0, 300)}`);
    return { report, ms };
  };
  const loadBefore = loadavg()[0]!;
  const first = await post();
  if (first.report.created !== N_IMPORT) throw new Error(`expected ${N_IMPORT} leads created, got ${first.report.created}`);
  const load = `the machine's load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${cpus().length} cores`;
  log(IMPORT_ROW, first.ms / 1000, 's',
    `one upload of ${(file.length / 2 ** 20).toFixed(1)} MB (10 columns, owners by email, custom fields), from the request to the report; ` +
    `${Math.round(N_IMPORT / (first.ms / 1000)).toLocaleString('en-US')} rows/s; one serve (API only); ${load}`);
  const again = await post();
  if (again.report.updated !== N_IMPORT) throw new Error(`expected ${N_IMPORT} leads updated, got ${again.report.updated}`);
  log(`CSV import of the same ${N_IMPORT.toLocaleString('en-US')} rows again (every lead updated by email)`, again.ms / 1000, 's',
    `${Math.round(N_IMPORT / (again.ms / 1000)).toLocaleString('en-US')} rows/s`);
  await serve.stop();
  await w.drop();
}

/** Leads search (issue 13): GET /api/leads over 100,000 leads, server time, on PostgreSQL and on PGlite. */
const N_LEADS = Math.round(100_000 * scale);
const LEADS_ROUNDS = 30;
const leadsRow = (backend: string) => `GET /api/leads search and filters over ${N_LEADS.toLocaleString('en-US')} leads on ${backend}, server time p95`;
const LEADS_TARGET = 'leads search over 100k leads: p95 < 50 ms server time on PostgreSQL and on PGlite';

async function leadsList(): Promise<void> {
  for (const [backend, name] of [[{ url }, 'PostgreSQL'], ['pglite', 'PGlite']] as const) {
    const loadBefore = loadavg()[0]!;
    const r = await leadsSearch(backend, N_LEADS, LEADS_ROUNDS);
    const load = `the machine's load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${cpus().length} cores`;
    log(leadsRow(name), r.p95, 'ms',
      `p50 ${msText(r.p50)}, p99 ${msText(r.p99)}; ${r.requests} requests one at a time through the server in process (routing, checks, ` +
      `statements, JSON; pages of 50 with each lead's enrolments): 11 kinds (no filter, the next page, a surname, a first name in capitals, ` +
      `a company and a status, one email, a typo matching nothing, two letters, a cadence's leads, an owner and a search, a rep's own); ` +
      `slowest kind ${r.slowest.label} (p95 ${msText(r.slowest.p95)}); EXPLAIN: ${r.searchPlan}; ${load}`);
  }
}

const started = Date.now();
// The receiver only counts: parsing each message would take CPU from the senders measured.
const sink = new SmtpSink({ keep: false });
const smtpUrl = await sink.start();
const sections: Record<string, () => Promise<void>> = {
  tasks: async () => { await bareSql(); await cadenzaTasks(1); await cadenzaTasks(2); await pgBoss(); },
  emails: async () => {
    // Each Cadenza run is set against raw nodemailer with as many SMTP connections in all.
    await rawNodemailer(16, sink, smtpUrl, true);
    for (const [workers, lanes] of EMAIL_RUNS) {
      await rawNodemailer(workers * lanes, sink, smtpUrl);
      await cadenzaEmails(workers, lanes, sink, smtpUrl);
    }
  },
  pglite,
  future: async () => { await futureBacklog(); await lag(); },
  api,
  today,
  web,
  leads: leadsList,
  import: importCsv,
  webhooks: () => webhooksSection(url, scale, log, () => `the machine's load average ${loadavg()[0]!.toFixed(1)} at the end, on ${cpus().length} cores`),
};
// BENCH_ONLY=emails (comma-separated section names) runs a part and prints it, without touching BENCHMARKS.md.
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
for (const name of only ?? Object.keys(sections)) {
  if (!sections[name]) throw new Error(`BENCH_ONLY: unknown section "${name}" (known: ${Object.keys(sections).join(', ')})`);
  await sections[name]();
}
await sink.stop();
if (only) process.exit(0);

const best = (a: string, b: string) => Math.max(results[a], results[b]);
const taskBest = best('Cadenza task steps, 1 worker', 'Cadenza task steps, 2 workers');
const emailBest = Math.max(...emailRatios);
const ratio = (x: number) => `${(x * 100).toFixed(1)}%`;
const dueRatio = results[dueName(FUTURE_LABEL)] / results[dueName('10k')];
const opensWorst = Math.min(results[OPENS_API], results[OPENS_PIXEL]);
const targets = [
  ['task steps ≥ 50% of the bare-SQL limit', ratio(taskBest / results['bare-SQL limit: one statement, task steps']), taskBest / results['bare-SQL limit: one statement, task steps'] >= 0.5],
  ['task steps ≥ 4× tuned pg-boss', `${(taskBest / results['pg-boss 10, tuned, one job per step']).toFixed(1)}×`, taskBest / results['pg-boss 10, tuned, one job per step'] >= 4],
  ['email steps ≥ 70% of raw nodemailer (same number of SMTP connections)', ratio(emailBest), emailBest >= 0.7],
  ['due query at 1M future within 1.5× of 10k', `${dueRatio.toFixed(2)}×`, dueRatio <= 1.5],
  ['worker RSS < 256 MB', `${results['worker peak RSS during the 1M run'].toFixed(0)} MB`, results['worker peak RSS during the 1M run'] < 256],
  [`opens ≥ 3,000/s through one serve (API and pixel, ${OPEN_CLIENTS} clients)`, `${Math.round(opensWorst).toLocaleString('en-US')}/s`, opensWorst >= 3000],
  ['GET /api/tasks p99 < 50 ms at 10 concurrent clients', msText(results[TASKS_P99]), results[TASKS_P99] < 50],
  [TODAY_TARGET, msText(results[TODAY_ROW]), results[TODAY_ROW] < 50],
  [LEADS_TARGET, `${msText(results[leadsRow('PostgreSQL')])} and ${msText(results[leadsRow('PGlite')])}`, Math.max(results[leadsRow('PostgreSQL')], results[leadsRow('PGlite')]) < 50],
  [FIRST_PAGE_TARGET, `${results[FIRST_PAGE_ROW].toFixed(1)} kB`, results[FIRST_PAGE_ROW] < 250],
  // Measured only where Chromium is installed (/usr/bin/chromium, or CHROMIUM=…).
  ...(results[WEB_TODAY_ROW] === undefined ? [] : [[WEB_TODAY_TARGET, msText(results[WEB_TODAY_ROW]), results[WEB_TODAY_ROW] < 1500] as const]),
  [IMPORT_TARGET, `${results[IMPORT_ROW].toFixed(1)} s`, results[IMPORT_ROW] < 10],
  [DELIVERY_TARGET, `${Math.round(results[DELIVERY_ROW]).toLocaleString('en-US')}/s`, results[DELIVERY_ROW] >= 1000],
  [OVERHEAD_TARGET, `${results[OVERHEAD_ROW].toFixed(1)}%`, results[OVERHEAD_ROW] >= 90],
] as const;

/** Why email steps fall short of raw nodemailer, from the CPU this run measured for its best email run. */
function emailWhy(): string {
  const i = emailRatios.indexOf(emailBest);
  const [workers, lanes] = EMAIL_RUNS[i];
  const ours = emailCpu[emailName(workers, lanes)];
  const raw = emailCpu[rawName(workers * lanes)];
  const cores = cpus().length;
  const total = ours.sender + (ours.postgres ?? 0) + ours.sink;
  const machineCap = (cores * 1000) / total;
  const cap = workers === 1 ? Math.min(machineCap, 1000 / ours.sender) : machineCap;
  const rawCap = Math.min(1000 / raw.sender, (cores * 1000) / (raw.sender + raw.sink));
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const ceiling = (cap / rawCap) * 100;
  return `in the best run (${workers} worker` +
    `${workers > 1 ? 's' : ''} × ${lanes} connections) an email cost the workers ${ms2(ours.sender)} ms of CPU, ` +
    `PostgreSQL ${ms2(ours.postgres)} ms and the sink ${ms2(ours.sink)} ms: ${total.toFixed(2)} ms on ${cores} cores, ` +
    `${workers === 1 ? `and one worker has one core: ` : ''}at most ~${n(cap)} emails/s with no idle CPU at all. Raw nodemailer ` +
    `spent ${ms2(raw.sender)} ms a message in its one process (composing and the SMTP conversation) and is held by ` +
    `that thread to ~${n(rawCap)}/s; so the CPU alone allows ~${ceiling.toFixed(0)}%` +
    `${ceiling < 70 ? ': Cadenza needs more CPU an email than raw nodemailer. ' : ', and the rest of the gap is waiting. '}` +
    'What an email costs Cadenza beyond raw nodemailer\'s work is its durable record: the email row written when the ' +
    'step runs, the `sending` mark committed before the message may leave, the `sent` mark, the enrolment woken and ' +
    'then completed. Marks falling due together share one statement; mail a worker queues due now goes in already ' +
    'claimed for its own sender, so it is written three times, not four. With 8 connections or fewer a worker mostly ' +
    'waits: each message waits about 3 ms for its mark to commit, about as long as the rest of its SMTP conversation.';
}

const WHY: Record<string, string> = {
  ...webhookWhy(),
  [LEADS_TARGET]:
    'a search is one statement: q is a substring match (ilike) on first name, last name, email and company joined; a rare ' +
    'term is found through the trigram GIN index leads_search_trgm, a common one by reading the (created_at, id) index ' +
    'newest first until the page fills (EXPLAIN in the rows shows both). The run was measured with the machine\'s two ' +
    'cores shared with other test runs (the load average is in the rows): each request, statement and JSON included, ' +
    'waited its turn for a core. Measure again on a quiet machine before changing the plan.',
  [IMPORT_TARGET]:
    'the file is parsed as it streams in and checked row by row, then written in one transaction, 2,000 rows a ' +
    'statement (one array a column through unnest, update by lower(email) then insert on conflict); the time is ' +
    'mostly PostgreSQL maintaining the leads indexes (the trigram search index above all) and the serve parsing and ' +
    'checking each row on its one thread, on cores shared with the database and the benchmark (see the load in the row).',
  [FIRST_PAGE_TARGET]:
    'every route\'s code loads on demand (TanStack Router lazy routes); what the first page loads is React, the router ' +
    'and TanStack Query, Radix\'s primitives, zod for the contract\'s schemas, the shell and the Today page (see the row).',
  [WEB_TODAY_TARGET]:
    'the page asks for one page of the rep\'s queue (the API row above), then renders it; the time is mostly loading and ' +
    'running the first page\'s JavaScript in a cold browser context, then the queue\'s answer (see the rows).',
  [TODAY_TARGET]:
    'the page is one statement: the rep\'s tasks due today are read from the queue index (owner, status, due, id); ' +
    'their hotness comes from the few recent intents (people\'s clicks and replies in the last three days, from the ' +
    'partial index signals_recent_intent_idx, and boost firings by time) hashed against them, so opens and old clicks ' +
    'cost nothing; every candidate is ranked before the limit, then the page\'s leads, cadences and step positions ' +
    'are joined. The median is far below the p99 (see the row): the tail is the machine\'s other work on its two ' +
    'cores, which the row\'s load average shows. Of what one page costs, EXPLAIN ANALYZE puts about half of the ' +
    'statement in reading all 5,000 of the rep\'s task rows from the heap to rank them (t.* is selected before the ' +
    'limit); the serve\'s CPU a request (the row) is the rest: the pg round trip, 100 rows made into JSON and checked ' +
    'against the contract\'s response schema, the request log. Next: rank on what an index holds (due time, id, ' +
    'enrolment) and read the 100 rows of the page only.',
  'task steps ≥ 50% of the bare-SQL limit':
    'the bare statement writes two rows per step inside the database in one statement; Cadenza also records the ' +
    'step execution, renders the task from its templates, loads leads, owners and definitions and plans each enrolment ' +
    'in JS, in batches of 1,000 (about ten statements a batch). A profile of a 20k-step drain shows the worker mostly ' +
    'waiting on PostgreSQL: the tasks insert (foreign-key checks on three columns, four indexes) is ~40% of the SQL ' +
    'time, the batch update of enrolments ~25%, the executions insert ~15%; tasks and executions now go in through ' +
    'unnest, one short statement each a batch. Next: fewer foreign keys on the hot tables, and an executions row ' +
    'folded into the task/email row. The ratio moves between ' +
    'runs on this shared machine, mostly with the bare statement: three full runs on 2026-11-24 gave 63%, 49.5% and 58.6%.',
  'task steps ≥ 4× tuned pg-boss': 'see the bare-SQL note: the batch path is not yet fast enough to keep a 4× margin.',
  'email steps ≥ 70% of raw nodemailer (same number of SMTP connections)': emailWhy(),
  'due query at 1M future within 1.5× of 10k':
    'the query itself reads only the due end of the partial index: EXPLAIN ANALYZE at 1M future enrolments shows ' +
    '~0.5 ms for a batch of 500; the figure here is the whole claim transaction (begin, claim and lock, roll back) ' +
    'seen from the client, whose small differences come from cache and the machine\'s other load.',
  [`opens ≥ 3,000/s through one serve (API and pixel, ${OPEN_CLIENTS} clients)`]:
    'an open that fires nothing is one row, written by one statement shared with the opens that arrive while the ' +
    'last ones run (see the CPU a request in the rows); what remains is HTTP itself in one Node process (parsing, ' +
    'the bearer token, the JSON request log) and PostgreSQL\'s insert with its three foreign-key checks and its ' +
    'commit, on the same cores as the clients. Each commit waits for the disk: clients that wait for their answer ' +
    'see that wait, which is why the 16-client row is lower.',
  'GET /api/tasks p99 < 50 ms at 10 concurrent clients':
    'a page of a rep\'s open tasks is read in due order from the index on (owner, status, due, id), about 0.5 ms in ' +
    'PostgreSQL; the serve spends about 1 ms of CPU a page reading 100 rows and writing their JSON on its one ' +
    'thread, so ten clients at once queue behind each other, and the p99 follows that queue and whatever else ' +
    'shares the machine.',
  'worker RSS < 256 MB':
    'V8 grows its heap lazily up to its default limit (about 4 GB on this machine): the same drain under ' +
    '--max-old-space-size=128 peaks near 325 MB and runs as fast. The rest is tsx compiling TypeScript at run time and ' +
    'the loaded modules (about 160 MB at idle). Next: ship compiled JavaScript and start workers with a heap limit.',
};

const md = `# Benchmarks

Written by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}: one run, one PostgreSQL
(${url.replace(/\/\/[^@]*@/, '//')}), ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version},
scale ${scale} (${N_TASKS.toLocaleString()} task steps, ${N_EMAILS.toLocaleString()} email steps). The SMTP sink runs in
the benchmark's own process on the same cores as the workers and the database, so every email figure
shares the machine with its receiver; it accepts and counts each message without parsing it. Each Cadenza
email run is set against raw nodemailer with as many connections, measured just before it. The raw-nodemailer baselines and each Cadenza worker run in processes
of their own, ${compiled('bench/worker.ts') ? 'as compiled JavaScript (npm run build), as in production' : 'through tsx (no fresh build)'}; the API rows
are answered by one \`cadenza serve\` (API only, its JSON request logs on) and sent from the benchmark's process. Total time ${((Date.now() - started) / 1000).toFixed(0)} s.

## Targets

| target | result | met |
| --- | --- | --- |
${targets.map(([name, value, met]) => `| ${name} | ${value} | ${met ? 'yes' : '**no**'} |`).join('\n')}

## Why a target is missed
${targets.filter(([, , met]) => !met).map(([name]) => `- **${name}**: ${WHY[name]}`).join('\n') || 'Every target is met.'}

## Figures

| what | result | note |
| --- | --- | --- |
${rows.join('\n')}
`;
const out = process.env.BENCH_OUT || fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
writeFileSync(out, md);
console.log(`\nwrote ${out} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(0);
