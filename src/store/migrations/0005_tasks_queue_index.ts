import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * A rep's queue is read a page at a time in (due_at, id) order. Without id in the
 * index, tasks sharing a due time (a bulk enrolment gives thousands the same one)
 * were all read and sorted for every page: 35 ms at 100k open tasks, 0.5 ms with it.
 * The new index starts with the old one's columns, which it replaces.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    create index tasks_queue_idx on tasks (owner_id, status, due_at, id);
    drop index tasks_owner_status_idx;
  `);
}
