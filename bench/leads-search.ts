/**
 * Leads search (issue 13): GET /api/leads over many leads, timed in the server (Fastify's
 * inject: routing, validation, the statements, the JSON), on PostgreSQL or PGlite. The
 * leads have names, emails and companies drawn from small lists, so a search matches
 * from a handful of leads to thousands, as a real workspace's do.
 */
import { sql } from 'kysely';
import { issueToken } from '../src/app/users.ts';
import { buildServer } from '../src/http/server.ts';
import { leadsPageQuery, type LeadFilter } from '../src/store/lead-search.repository.ts';
import { workspace, type Workspace } from './seed.ts';

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Dennis', 'Frances', 'John', 'Radia', 'Leslie', 'Niklaus', 'Tim', 'Hedy', 'Katherine', 'Claude', 'Sophie', 'Linus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Ritchie', 'Allen', 'Backus', 'Perlman', 'Lamport', 'Wirth', 'Berners-Lee', 'Lamarr', 'Johnson', 'Shannon', 'Wilson', 'Torvalds'];
const COMPANY = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka', 'Tyrell', 'Cyberdyne', 'Soylent', 'Aperture', 'Massive', 'Vandelay', 'Pied Piper'];
const STATUSES = ['New', 'Contacted', 'Qualified', 'Unqualified'];
const list = (xs: string[]) => `array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`;

/** `n` leads (a fifth the rep's, the rest the admin's, whatever their names), a tenth of them enrolled (completed) in the workspace's cadence. */
async function seedLeads(w: Workspace, adminId: string, n: number): Promise<void> {
  const now = new Date();
  await sql.raw(`
    insert into leads (id, module, email, first_name, last_name, company, status, owner_id, fields, created_at, updated_at)
    select gen_random_uuid(), 'lead',
      lower(f) || '.' || lower(replace(l, '-', '')) || g || '@' || lower(replace(c, ' ', '')) || (g % 500) || '.example',
      f, l, c || ' ' || (g % 500), (${list(STATUSES)})[1 + g % 4],
      case when (g / 7) % 5 = 0 then '${w.repId}'::uuid else '${adminId}'::uuid end,
      '{}', timestamptz '${now.toISOString()}' - g * interval '1 second', timestamptz '${now.toISOString()}'
    from generate_series(1, ${n}) g,
      lateral (select (${list(FIRST)})[1 + (g * 7) % ${FIRST.length}] as f,
                      (${list(LAST)})[1 + (g * 13) % ${LAST.length}] as l,
                      (${list(COMPANY)})[1 + (g * 11) % ${COMPANY.length}] as c) x`).execute(w.database.db);
  await sql.raw(`
    insert into enrollments (id, cadence_id, record_id, status, cadence_version, enrolled_at, ended_at, updated_at)
    select gen_random_uuid(), '${w.cadenceId}'::uuid, id, 'completed', 1, created_at, created_at, created_at
    from leads where email like '%0@%'`).execute(w.database.db);
  await sql`analyze`.execute(w.database.db);
}

export interface LeadsSearchResult {
  leads: number;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  /** The plan's index for a substring search, as EXPLAIN says it. */
  searchPlan: string;
  /** The worst kind of request, by its p95. */
  slowest: { label: string; p95: number };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** Seeds `n` leads on the backend, then times `rounds` rounds of every kind of list request (after one warm-up round). */
export async function leadsSearch(backend: { url: string } | 'pglite', n: number, rounds: number): Promise<LeadsSearchResult> {
  const w = await workspace(backend, [{ type: 'task', title: 'Research' }]);
  try {
    const admin = await w.database.db.selectFrom('users').select('id').where('role', '=', 'admin').executeTakeFirstOrThrow();
    await seedLeads(w, admin.id, n);
    const app = await buildServer(w.ctx);
    const auth = { authorization: `Bearer ${await issueToken(w.ctx, admin.id)}` };
    const repAuth = { authorization: `Bearer ${await issueToken(w.ctx, w.repId)}` };
    const get = async (url: string, headers = auth) => {
      const start = performance.now();
      const res = await app.inject({ method: 'GET', url, headers });
      const ms = performance.now() - start;
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      return { ms, body: res.json() as { items: unknown[]; nextCursor?: string } };
    };
    const second = await get('/api/leads?limit=50');
    const kinds: Array<{ label: string; url: string; headers?: typeof auth }> = [
      { label: 'no filter', url: '/api/leads' },
      { label: 'the next page', url: `/api/leads?cursor=${second.body.nextCursor}` },
      { label: 'a common surname', url: '/api/leads?q=lovelace' },
      { label: 'a first name, any case', url: '/api/leads?q=GRACE' },
      { label: 'a company and a status', url: '/api/leads?q=initech%2042&status=Qualified' },
      { label: 'one email', url: `/api/leads?q=${encodeURIComponent('ada.lovelace4341@')}` },
      { label: 'a typo matching nothing', url: '/api/leads?q=lovelcae' },
      { label: 'two letters', url: '/api/leads?q=ho' },
      { label: 'the leads of a cadence', url: `/api/leads?cadenceId=${w.cadenceId}` },
      { label: 'an owner and a search', url: `/api/leads?ownerId=${w.repId}&q=turing` },
      { label: 'a rep\'s own leads, searched', url: '/api/leads?q=hopper', headers: repAuth },
    ];
    const samples = new Map<string, number[]>(kinds.map((k) => [k.label, []]));
    for (let round = -1; round < rounds; round++) {
      for (const k of kinds) {
        const { ms } = await get(k.url, k.headers);
        if (round >= 0) samples.get(k.label)!.push(ms);
      }
    }
    const all = [...samples.values()].flat();
    const byKind = [...samples.entries()].map(([label, xs]) => ({ label, p50: pct(xs, 50), p95: pct(xs, 95) })).sort((a, b) => b.p95 - a.p95);
    for (const k of byKind) console.log(`  ${k.label}: p50 ${k.p50.toFixed(1)} ms, p95 ${k.p95.toFixed(1)} ms`);
    if (process.env.BENCH_KEEP) {
      // Look at plans by hand: the schema stays until the benchmark's process ends.
      for (const f of [{ q: 'lovelace' }, { q: 'ada.lovelace4341@' }, { q: 'lovelcae' }, { q: 'initech 42', status: 'Qualified' }, { ownerId: w.repId, q: 'turing' }]) {
        const c = leadsPageQuery(w.database.db, f, 51).compile();
        const { rows } = await sql<{ 'QUERY PLAN': string }>`explain analyze ${sql.raw(inline(c.sql, c.parameters))}`.execute(w.database.db);
        console.log(JSON.stringify(f), '\n' + rows.map((r) => r['QUERY PLAN']).join('\n'));
      }
    }
    const searchPlan = `q=lovelace (5% of the leads): ${await planOf(w, { q: 'lovelace' })}; q=ada.lovelace4341@ (one lead): ${await planOf(w, { q: 'ada.lovelace4341@' })}`;
    await app.close();
    return { leads: n, requests: all.length, p50: pct(all, 50), p95: pct(all, 95), p99: pct(all, 99), searchPlan, slowest: byKind[0]! };
  } finally {
    await w.drop();
  }
}

/** EXPLAIN of the list's statement for a filter: the access path it takes, in a line. */
async function planOf(w: Workspace, filter: LeadFilter): Promise<string> {
  const compiled = leadsPageQuery(w.database.db, filter, 51).compile();
  const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(inline(compiled.sql, compiled.parameters))}`.execute(w.database.db);
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  console.log(`EXPLAIN GET /api/leads?q=${filter.q} on ${w.database.kind}:\n${plan}`);
  const index = /Index Scan (?:Backward )?using (\w+)|Bitmap Index Scan on (\w+)/.exec(plan);
  return index ? `${index[0]}` : plan.split('\n')[0]!;
}

/** A statement with its parameters written in (EXPLAIN of a parameterised statement needs them). */
function inline(text: string, parameters: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, i: string) => {
    const v = parameters[Number(i) - 1];
    return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
  });
}
