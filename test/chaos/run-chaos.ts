/**
 * Chaos test (npm run test:chaos): several `cadenza worker` processes on one
 * PostgreSQL, a real SMTP sink, a backlog due at once, and a random worker SIGKILLed
 * every second or two and restarted. When everything is done it checks that each
 * step ran exactly once, no email reached the sink twice, and nothing is missing.
 *
 * The workers run with the default settings, as an operator's would: the mail a killed
 * worker held is taken over when its lease (30 s) runs out.
 *
 * This is a real-time test by nature (kills on a wall clock), so it runs on its own,
 * not in the deterministic `npm test` suite. Sizes: CHAOS_LEADS (default 5000),
 * CHAOS_WORKERS (3), CHAOS_MAX_KILLS (unbounded).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { systemClock } from '../../src/app/clock.ts';
import { createContext } from '../../src/app/context.ts';
import { defaultEngineOptions } from '../../src/engine/engine.ts';
import { openDatabase } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { seedBacklog } from '../support/backlog.ts';
import { SmtpSink } from '../support/smtp-sink.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LEADS = Number(process.env.CHAOS_LEADS ?? 5000);
const WORKERS = Number(process.env.CHAOS_WORKERS ?? 3);
const MAX_KILLS = Number(process.env.CHAOS_MAX_KILLS ?? Infinity);
/** A kill leaves at most one email in doubt per SMTP conversation in flight. */
const CONCURRENCY = defaultEngineOptions().sender.concurrency;
const DEADLINE_MS = Number(process.env.CHAOS_DEADLINE_SECONDS ?? 900) * 1000;
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('test:chaos needs DATABASE_URL (PostgreSQL): several processes share the database');
  process.exit(2);
}

const schema = `chaos_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const sink = new SmtpSink();
const smtpUrl = await sink.start();
const database = await openDatabase({ databaseUrl: url, schema, poolSize: 4 });
await migrateToLatest(database);
const ctx = createContext(database.db, systemClock, { publicUrl: 'http://chaos.test', smtpUrl });

console.log(`chaos: ${LEADS} leads, ${WORKERS} workers, schema ${schema}`);
await seedBacklog(ctx, { leads: LEADS, domain: 'chaos.test', prefix: 'c', mailbox: true });

function withoutCadenzaSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('CADENZA_')));
}

const workers: Array<ChildProcess | null> = [];
let kills = 0;
function startWorker(slot: number): void {
  const child = spawn(process.execPath, [join(ROOT, 'bin/cadenza.mjs'), 'worker'], {
    cwd: ROOT,
    // The defaults, whatever this shell sets: only where the database and the mail are.
    env: { ...withoutCadenzaSettings(process.env), DATABASE_SCHEMA: schema, SMTP_URL: smtpUrl },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers[slot] = child;
}
for (let i = 0; i < WORKERS; i++) startWorker(i);

const started = Date.now();
const remaining = async () => {
  const { rows } = await sql<{ open: number; inflight: number; sent: number }>`
    select (select count(*)::int from enrollments where status <> 'completed') as open,
           (select count(*)::int from emails where status in ('queued', 'sending')) as inflight,
           (select count(*)::int from emails where status = 'sent') as sent`.execute(database.db);
  return rows[0];
};
let killing = true;
const killer = (async () => {
  while (killing && kills < MAX_KILLS) {
    await delay(1000 + Math.random() * 1000);
    if (!killing) break;
    const slot = Math.floor(Math.random() * WORKERS);
    workers[slot]?.kill('SIGKILL');
    kills++;
    startWorker(slot);
  }
})();

let state = await remaining();
let reportedAt = started;
while (state.open > 0 || state.inflight > 0) {
  if (Date.now() - started > DEADLINE_MS) {
    console.error(`chaos: not done after ${DEADLINE_MS / 1000}s: ${JSON.stringify(state)}`);
    break;
  }
  if (Date.now() - reportedAt >= 15_000) {
    reportedAt = Date.now();
    console.log(`chaos: ${((reportedAt - started) / 1000).toFixed(0)}s, ${kills} kills: ${LEADS - state.open} enrolments completed, ${state.sent} emails sent`);
  }
  await delay(500);
  state = await remaining();
}
if (state.open > 0) {
  // What the unfinished enrolments wait on, to tell a stranded claim from a lost wake-up.
  const { rows } = await sql`
    select en.status, en.next_step_id is null as at_end, en.next_due_at <= now() as due, em.status as email, em.claimed_by is not null as claimed,
      count(*)::int as n
    from enrollments en left join emails em on em.id = en.wait_email_id
    where en.status <> 'completed' group by 1, 2, 3, 4, 5`.execute(database.db);
  console.error('chaos: unfinished enrolments:', JSON.stringify(rows));
}
killing = false;
await killer;
await Promise.all(workers.map((w) => new Promise<void>((r) => { if (!w || w.exitCode !== null) return r(); w.once('exit', () => r()); w.kill('SIGTERM'); })));

const q = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(database.db)).rows;
const [counts] = await q(sql<{ executions: number; distinct_steps: number; emails: number; sent: number; uncertain: number; other: number; completed: number }>`
  select (select count(*)::int from step_executions) as executions,
         (select count(*)::int from (select distinct enrollment_id, step_id from step_executions) x) as distinct_steps,
         (select count(*)::int from emails) as emails,
         (select count(*)::int from emails where status = 'sent') as sent,
         (select count(*)::int from emails where status = 'uncertain') as uncertain,
         (select count(*)::int from emails where status not in ('sent', 'uncertain')) as other,
         (select count(*)::int from enrollments where status = 'completed') as completed`);
const sentIds = new Set((await q(sql<{ message_id: string }>`select message_id from emails where status = 'sent'`)).map((r) => r.message_id));
const received = sink.received.map((m) => m.parsed.messageId ?? '');
const duplicates = received.length - new Set(received).size;
const missing = [...sentIds].filter((id) => !received.includes(id)).length;

const checks: Array<[string, boolean]> = [
  [`every enrolment completed (${counts.completed}/${LEADS})`, counts.completed === LEADS],
  [`each (enrolment, step) executed exactly once (${counts.executions} executions, ${counts.distinct_steps} distinct, ${3 * LEADS} expected)`, counts.executions === 3 * LEADS && counts.distinct_steps === 3 * LEADS],
  [`every email exists once (${counts.emails}/${2 * LEADS})`, counts.emails === 2 * LEADS],
  [`no email reached the sink twice (${duplicates} duplicates in ${received.length})`, duplicates === 0],
  [`every email is sent or uncertain (${counts.other} otherwise)`, counts.other === 0],
  [`uncertain at most ${CONCURRENCY} per kill (${counts.uncertain} uncertain, ${kills} kills)`, counts.uncertain <= CONCURRENCY * kills],
  [`every sent email reached the sink (${missing} missing)`, missing === 0],
];
let failed = 0;
for (const [name, ok] of checks) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  if (!ok) failed++;
}
console.log(`chaos: ${((Date.now() - started) / 1000).toFixed(1)}s, ${kills} kills`);
console.log(`chaos: ${checks.length - failed} passed, ${failed} failed`);

await database.close();
await sink.stop();
const admin2 = new pg.Client({ connectionString: url });
await admin2.connect();
await admin2.query(`drop schema ${schema} cascade`);
await admin2.end();
process.exit(failed === 0 ? 0 : 1);
