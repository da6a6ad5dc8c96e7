import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { createUser, issueToken } from '../src/app/users.ts';
import { load } from './http-load.ts';
import { drainWith, processCpuMs, startServe } from './processes.ts';
import { count, seedEnrollments, workspace, type Workspace } from './seed.ts';

/** The request measured: a rep's Today, hot leads first, its first page. */
export const TODAY_URL = '/api/tasks?due=today&sort=priority';
const ROUTE = '/api/tasks';
const CALL_STEP = [{ type: 'call' as const, title: 'Call {{lead.firstName}}' }];
/** Other reps whose tasks share the table (and the day) with the measured rep's. */
const OTHER_REPS = 4;

export interface RepTodayResult {
  /** Open tasks of the measured rep, all due today, and of the others. */
  mine: number;
  others: number;
  hot: number;
  requests: number;
  /** Server time (the serve's request log), ms. */
  p50: number;
  p99: number;
  /** Round trip seen by the client, ms. */
  clientP50: number;
  /** The serve's CPU a request, ms (null where /proc cannot be read). */
  serveCpu: number | null;
  pageSize: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** The seeding of `repToday`, shared with the web app's Today in Chromium (bench/web-today.ts). */
export interface SeededRepToday {
  w: Workspace;
  /** Open tasks due today of the measured rep (`w.repId`), and of all reps. */
  mine: number;
  all: number;
  /** The instant the signals and due times were set around. */
  now: number;
}

export async function seedRepToday(url: string, n: number): Promise<SeededRepToday> {
  const w = await workspace({ url }, CALL_STEP);
  const others: string[] = [];
  for (let i = 0; i < OTHER_REPS; i++) {
    others.push((await createUser(w.ctx, { name: `Rep ${i + 2}`, email: `rep${i + 2}@bench.test`, role: 'rep', timezone: 'UTC' })).id);
  }
  await sql`update users set timezone = 'UTC' where id = ${w.repId}`.execute(w.database.db);
  // Due earlier today (UTC), never in the schedule's last minute before midnight.
  const now = Date.now();
  const midnight = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  const dueAt = new Date(midnight + Math.min((now - midnight) / 2, 23 * 3_600_000));
  await seedEnrollments(w, n, dueAt, 0);
  for (const [i, owner] of others.entries()) await seedEnrollments(w, n, dueAt, (i + 1) * n, owner);
  await drainWith(1, { DATABASE_SCHEMA: w.schema, DATABASE_URL: url });

  const db = w.database.db;
  const mine = await count(w, sql`select count(*)::int as n from tasks where owner_id = ${w.repId} and status = 'open' and due_at >= ${new Date(midnight)}`);
  if (mine !== n) throw new Error(`expected ${n} open tasks due today for the rep, got ${mine}`);
  const all = await count(w, sql`select count(*)::int as n from tasks where status = 'open'`);

  // Signals on every enrolment, of which a twenty-fifth make it hot: people's clicks,
  // replies and boosts in the last three days. The rest do not count: opens (people's
  // and proxies'), proxies' clicks, and people's clicks older than the window.
  const hour = 3_600_000;
  await sql`
    with e as (select id, record_id, (row_number() over (order by id)) % 100 as k from enrollments)
    insert into signals (id, type, record_id, enrollment_id, email_id, step_id, machine, data, at)
    select gen_random_uuid(),
      case when e.k < 2 or (e.k >= 4 and e.k < 9) then 'clicked' when e.k = 2 then 'replied' else 'opened' end,
      e.record_id, e.id, null, null,
      e.k in (4, 5) or (e.k >= 9 and (e.k + g) % 3 = 0),
      '{}',
      case when e.k >= 6 and e.k < 9 then ${new Date(now - 5 * 24 * hour)}::timestamptz
           else ${new Date(now - 30 * hour)}::timestamptz - ((e.k + g) % 40) * interval '1 hour' end
    from e, generate_series(1, 4) g
    where g = 1 or e.k >= 9`.execute(db);
  await sql`
    insert into boost_firings (enrollment_id, boost_id, fired_at)
    select id, 'hot-boost', ${new Date(now - 10 * hour)} from (select id, row_number() over (order by id) as k from enrollments) e
    where e.k % 100 = 3`.execute(db);
  const settle = new pg.Client({ connectionString: url });
  await settle.connect();
  for (const table of ['tasks', 'signals', 'boost_firings', 'enrollments']) await settle.query(`vacuum (analyze) ${w.schema}.${table}`);
  await settle.query('checkpoint');
  await settle.end();
  return { w, mine, all, now };
}

/**
 * A rep with `n` open tasks due today (zone UTC) among `OTHER_REPS` other reps with as
 * many, tasks made by a worker from due call steps; a twenty-fifth of the rep's enrolments
 * hot (human clicks, replies, boosts within three days), beside opens and older or
 * machine clicks that do not count. One `cadenza serve` (API only) answers the rep's
 * first page of Today, one request at a time, its time read from its request log.
 */
export async function repToday(url: string, n: number, requests: number): Promise<RepTodayResult> {
  const { w, mine, all, now } = await seedRepToday(url, n);
  const db = w.database.db;
  const hour = 3_600_000;
  const repAuth = { authorization: `Bearer ${await issueToken(w.ctx, w.repId)}` };
  const serve = await startServe({ DATABASE_URL: url, DATABASE_SCHEMA: w.schema, CADENZA_ENGINE: '0', LOG_LEVEL: 'info' }, { requestLog: true });
  try {
    // The first page as the web app asks for it: hot leads first, then by due time.
    const page = await (await fetch(serve.base + TODAY_URL, { headers: repAuth })).json() as { items: Array<{ hot: boolean }> };
    const hot = (await sql<{ n: number }>`
      select count(distinct t.id)::int as n from tasks t
      where t.owner_id = ${w.repId} and t.status = 'open' and exists (
        select 1 from signals s where s.enrollment_id = t.enrollment_id and s.at >= ${new Date(now - 72 * hour)}
          and (s.type = 'replied' or (s.type = 'clicked' and not s.machine))
        union all select 1 from boost_firings b where b.enrollment_id = t.enrollment_id and b.fired_at >= ${new Date(now - 72 * hour)})`.execute(db)).rows[0].n;
    if (page.items.length !== Math.min(100, n) || !page.items[0]?.hot || page.items.filter((t) => t.hot).length !== Math.min(100, hot)) {
      throw new Error(`the first page is not hot leads first: ${page.items.filter((t) => t.hot).length} hot of ${page.items.length}, ${hot} hot in all`);
    }
    const request = () => ({ method: 'GET' as const, path: TODAY_URL, headers: repAuth });
    await load(serve.base, Math.max(20, Math.ceil(requests / 10)), 1, request, 200);
    await waitForLog(serve, 1);
    serve.serverTimes(ROUTE);
    const cpuBefore = processCpuMs(serve.child.pid!);
    const client = await load(serve.base, requests, 1, request, 200);
    const cpuAfter = processCpuMs(serve.child.pid!);
    const times = await waitForLog(serve, requests);
    times.sort((a, b) => a - b);
    return {
      mine, others: all - mine, hot, requests, p50: quantile(times, 0.5), p99: quantile(times, 0.99),
      clientP50: client.p50, pageSize: page.items.length,
      serveCpu: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / requests,
    };
  } finally {
    await serve.stop();
    await w.drop();
  }
}

/** The request log lines arrive a moment after the answers: wait for `n` of them. */
async function waitForLog(serve: Awaited<ReturnType<typeof startServe>>, n: number): Promise<number[]> {
  const got: number[] = [];
  for (let waited = 0; got.length < n; waited += 20) {
    if (waited > 10_000) throw new Error(`only ${got.length} of ${n} request log lines from the serve`);
    got.push(...serve.serverTimes(ROUTE));
    if (got.length < n) await delay(20);
  }
  return got;
}
