import { describe, it, expect } from 'vitest';
import { sql } from 'kysely';
import { BACKENDS, freshDatabase } from '../../test/support/backends.ts';
import { migrateToLatest } from './migrate.ts';

describe.each(BACKENDS)('migrations on %s', (backend) => {
  it('creates the schema once and is a no-op when run again', async () => {
    const database = await freshDatabase(backend);
    try {
      expect(await migrateToLatest(database)).toEqual([]);
      const org = await database.db.selectFrom('organization').selectAll().executeTakeFirstOrThrow();
      expect(org.timezone).toBe('UTC');
      expect(org.working_days).toEqual([1, 2, 3, 4, 5]);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from enrollments`.execute(database.db);
      expect(rows[0].n).toBe(0);
    } finally {
      await database.close();
    }
  });
});
