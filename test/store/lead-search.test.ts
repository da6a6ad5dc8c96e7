import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.ts';
import { containsPattern, countMatchingLeads, findLeadsPage, findMatchingLeadIds } from '../../src/store/lead-search.repository.ts';
import { BACKENDS, freshDatabase } from '../support/backends.ts';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe.each(BACKENDS)('lead search (the filter enrolment by filter reuses) on %s', (backend) => {
  let database: Database;
  const owner = id(900);
  const cadence = id(800);
  beforeAll(async () => {
    database = await freshDatabase(backend);
    const db = database.db;
    const now = new Date('2026-03-02T08:00:00Z');
    await db.insertInto('users').values({ id: owner, name: 'Rep', email: 'rep@example.com', role: 'rep', timezone: 'UTC', created_at: now } as never).execute();
    const people: Array<[string, string | null, string | null, string | null]> = [
      ['ada@lovelace.org', 'Ada', 'Lovelace', 'Analytical Engines'],
      ['grace@navy.mil', 'Grace', 'Hopper', 'US Navy'],
      ['alan@bletchley.uk', 'Alan', 'Turing', null],
      ['percent_100%@odd.io', null, null, 'Odd_Co'],
    ];
    await db.insertInto('leads').values(people.map(([email, first, last, company], i) => ({
      id: id(i + 1), module: 'lead' as const, email, first_name: first, last_name: last, company,
      status: i % 2 ? 'Contacted' : 'New', owner_id: i < 2 ? owner : null, timezone: null, fields: '{}',
      created_at: new Date(now.getTime() + i * 1000), updated_at: now,
    }))).execute();
    await db.insertInto('cadences').values({ id: cadence, name: 'C', module: 'lead', status: 'active', version: 1, created_at: now, updated_at: now }).execute();
    await db.insertInto('enrollments').values({
      id: id(700), cadence_id: cadence, record_id: id(3), status: 'completed', cadence_version: 1, enrolled_at: now, updated_at: now,
    }).execute();
  }, 240_000);
  afterAll(() => database.close());

  it('matches a substring of the name, email or company in any case, newest first', async () => {
    expect(await findMatchingLeadIds(database.db, { q: 'LOVE' }, 10)).toEqual([id(1)]);
    expect(await findMatchingLeadIds(database.db, { q: 'grace hop' }, 10)).toEqual([id(2)]);
    expect(await findMatchingLeadIds(database.db, { q: 'navy' }, 10)).toEqual([id(2)]);
    expect(await findMatchingLeadIds(database.db, { q: 'E' }, 10)).toEqual([id(4), id(3), id(2), id(1)]);
    expect(await findMatchingLeadIds(database.db, { q: 'e' }, 2)).toEqual([id(4), id(3)]);
  });

  it('takes % and _ in q literally', async () => {
    expect(containsPattern('50%_\\')).toBe('%50\\%\\_\\\\%');
    expect(await findMatchingLeadIds(database.db, { q: '_' }, 10)).toEqual([id(4)]);
    expect(await findMatchingLeadIds(database.db, { q: '%' }, 10)).toEqual([id(4)]);
  });

  it('filters by status, owner and cadence, all together', async () => {
    expect(await findMatchingLeadIds(database.db, { status: 'New' }, 10)).toEqual([id(3), id(1)]);
    expect(await findMatchingLeadIds(database.db, { ownerId: owner }, 10)).toEqual([id(2), id(1)]);
    expect(await findMatchingLeadIds(database.db, { cadenceId: cadence }, 10)).toEqual([id(3)]);
    expect(await findMatchingLeadIds(database.db, { ownerId: owner, status: 'New', q: 'ada' }, 10)).toEqual([id(1)]);
    expect(await countMatchingLeads(database.db, { q: 'e' }, 3)).toBe(3);
    expect(await countMatchingLeads(database.db, { ownerId: owner }, 100)).toBe(2);
  });

  it('pages after a cursor without skipping or repeating', async () => {
    const first = await findLeadsPage(database.db, {}, 3);
    const last = first[first.length - 1]!;
    const second = await findLeadsPage(database.db, {}, 3, { createdAt: last.created_at, id: last.id });
    expect([...first, ...second].map((r) => r.id)).toEqual([id(4), id(3), id(2), id(1)]);
  });
});
