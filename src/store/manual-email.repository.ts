import { sql, type Insertable } from 'kysely';
import type { Boost, Step } from '../domain/cadence.ts';
import type { Handle } from './database.ts';
import type { EmailRow, EmailTable, MailboxRow, TaskRow, UserRow } from './schema.ts';

export interface TaskTemplate {
  /** The step, or the boost's action, that created the task: its templates as saved. */
  content: Pick<Step, 'subject' | 'body' | 'threadWithPrevious'>;
  cadenceName: string;
}

/**
 * The templates a manual email task came from: its step (or boost) in the version its
 * enrolment follows, else the latest version that still has it (an edit may have
 * removed it since). Null for a task of no cadence or a step no version has.
 */
export async function findTaskTemplate(h: Handle, task: Pick<TaskRow, 'enrollment_id' | 'step_id' | 'boost_id'>): Promise<TaskTemplate | null> {
  if (!task.enrollment_id || (!task.step_id && !task.boost_id)) return null;
  const list = task.step_id ? 'steps' : 'boosts';
  const wanted = JSON.stringify([{ id: task.step_id ?? task.boost_id }]);
  const row = await sql<{ definition: { steps: Step[]; boosts?: Boost[] }; name: string }>`
    select v.definition, c.name
    from enrollments e
    join cadences c on c.id = e.cadence_id
    join cadence_versions v on v.cadence_id = e.cadence_id
    where e.id = ${task.enrollment_id} and v.definition -> ${list} @> ${wanted}::jsonb
    order by (v.version = e.cadence_version) desc, v.version desc
    limit 1`.execute(h).then((r) => r.rows[0]);
  if (!row) return null;
  const content = task.step_id
    ? row.definition.steps.find((s) => s.id === task.step_id)
    : row.definition.boosts?.find((b) => b.id === task.boost_id)?.action;
  return content ? { content, cadenceName: row.name } : null;
}

export async function findTaskById(h: Handle, id: string): Promise<TaskRow | undefined> {
  return h.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A user and the mailbox it sends from (none: its own address). */
export async function findSender(h: Handle, userId: string): Promise<{ user: UserRow; mailbox: MailboxRow | null } | null> {
  const [user, mailbox] = await Promise.all([
    h.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst(),
    h.selectFrom('mailboxes').selectAll().where('user_id', '=', userId).executeTakeFirst(),
  ]);
  return user ? { user, mailbox: mailbox ?? null } : null;
}

/** Queues a manual email for the sender; the unique index on task_id refuses a second one for a task. */
export async function insertManualEmail(h: Handle, row: Insertable<EmailTable>): Promise<EmailRow> {
  return h.insertInto('emails').values(row).returningAll().executeTakeFirstOrThrow();
}
