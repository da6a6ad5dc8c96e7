import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';

const url = process.env.DATABASE_URL;

/**
 * The server ends a connection the pool has lent out (a restart, an admin's terminate):
 * the process must live on, the holder's next statement fail, and the pool reconnect.
 * Before, pg's unheard 'error' event crashed the process (a worker on a restarted
 * PostgreSQL died instead of backing off).
 */
describe.skipIf(!url)('a connection the server ends while it is lent out (postgres)', () => {
  it('fails only its holder\'s next statement; the process and the pool go on', async () => {
    const database = await openDatabase({ databaseUrl: url!, poolSize: 2 });
    const crashes: unknown[] = [];
    const onUncaught = (e: unknown) => crashes.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const outcome = await database.db.connection().execute(async (held) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(held);
        await sql`select pg_terminate_backend(${rows[0].pid})`.execute(database.db);
        // Wait (on the other connection) until the server has ended it: its FATAL message
        // is then in the idle client's socket, which the next round trip's IO poll reads
        // (the moment that crashed us).
        for (let i = 0; i < 100; i++) {
          const left = await sql`select 1 from pg_stat_activity where pid = ${rows[0].pid}`.execute(database.db);
          if (left.rows.length === 0) break;
        }
        await sql`select 1`.execute(database.db);
        return sql`select 1`.execute(held).then(() => 'answered', () => 'failed');
      });
      expect(outcome).toBe('failed');
      expect(crashes).toEqual([]);
      const again = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      expect(again.rows[0].one).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
      await database.close();
    }
  });
});
