import { sql, type Insertable, type Selectable } from 'kysely';
import type { StepOutcome } from '../domain/plan.ts';
import type { Handle } from './database.ts';
import { findOrganization } from './organization.repository.ts';
import type { EmailTable, StepExecutionTable, TaskTable } from './schema.ts';

/**
 * Executions and tasks go in as one array per column through unnest: one short
 * statement a batch, where a VALUES list of thousands of parameters costs
 * milliseconds to parse and plan.
 */
export async function insertExecutions(h: Handle, rows: Insertable<StepExecutionTable>[]): Promise<void> {
  if (rows.length === 0) return;
  const col = columnsOf(rows);
  await sql`
    insert into step_executions (enrollment_id, step_id, cadence_version, outcome, reason, at)
    select * from unnest(${col('enrollment_id')}::uuid[], ${col('step_id')}::text[], ${col('cadence_version')}::int[],
      ${col('outcome')}::text[], ${col('reason')}::text[], ${col('at')}::timestamptz[])`.execute(h);
}

export async function insertTasks(h: Handle, rows: Insertable<TaskTable>[]): Promise<void> {
  if (rows.length === 0) return;
  const col = columnsOf(rows);
  await sql`
    insert into tasks (id, enrollment_id, step_id, boost_id, record_id, owner_id, type, title, body, subject,
      priority, due_at, status, outcome, note, created_at, completed_at)
    select * from unnest(${col('id')}::uuid[], ${col('enrollment_id')}::uuid[], ${col('step_id')}::text[],
      ${col('boost_id')}::text[], ${col('record_id')}::uuid[], ${col('owner_id')}::uuid[], ${col('type')}::text[],
      ${col('title')}::text[], ${col('body')}::text[], ${col('subject')}::text[], ${col('priority', 'normal')}::text[],
      ${col('due_at')}::timestamptz[], ${col('status')}::text[], ${col('outcome')}::text[], ${col('note')}::text[],
      ${col('created_at')}::timestamptz[], ${col('completed_at')}::timestamptz[])`.execute(h);
}

/** One array per column; a column a row leaves out is null there (or `fallback`, its default). */
function columnsOf<R extends object>(rows: R[]) {
  return (key: keyof R, fallback: unknown = null): unknown[] => rows.map((r) => r[key] ?? fallback);
}

/** Emails carry arrays and JSON, so they go in as VALUES, in chunks under PostgreSQL's parameter limit. */
export async function insertEmails(h: Handle, rows: Insertable<EmailTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1500) {
    await h.insertInto('emails').values(rows.slice(i, i + 1500)).execute();
  }
}

export interface WaitFacts {
  tasks: Map<string, { status: 'open' | 'completed' | 'cancelled'; completedAt: Date | null }>;
  emails: Map<string, { status: string; sentAt: Date | null }>;
}

export async function loadWaitFacts(h: Handle, taskIds: string[], emailIds: string[]): Promise<WaitFacts> {
  const [tasks, emails] = await Promise.all([
    taskIds.length
      ? h.selectFrom('tasks').select(['id', 'status', 'completed_at']).where('id', 'in', taskIds).execute()
      : [],
    emailIds.length
      ? h.selectFrom('emails').select(['id', 'status', 'sent_at']).where('id', 'in', emailIds).execute()
      : [],
  ]);
  return {
    tasks: new Map(tasks.map((t) => [t.id, { status: t.status, completedAt: t.completed_at }])),
    emails: new Map(emails.map((e) => [e.id, { status: e.status, sentAt: e.sent_at }])),
  };
}

/**
 * What happened at each step of these enrolments, for step conditions: human opens,
 * clicks and replies from signals, completion from tasks and sent emails.
 */
export async function loadStepOutcomes(
  h: Handle,
  enrollmentIds: string[],
): Promise<Map<string, Map<string, StepOutcome>>> {
  const result = new Map<string, Map<string, StepOutcome>>();
  if (enrollmentIds.length === 0) return result;
  const { rows } = await sql<{ enrollment_id: string; step_id: string; opened: boolean; clicked: boolean; replied: boolean; completed: boolean }>`
    select enrollment_id, step_id,
      bool_or(kind = 'opened') as opened, bool_or(kind = 'clicked') as clicked,
      bool_or(kind = 'replied') as replied, bool_or(kind = 'completed') as completed
    from (
      select enrollment_id, step_id, type as kind from signals
        where enrollment_id = any(${enrollmentIds}::uuid[]) and step_id is not null and not machine
      union all
      select enrollment_id, step_id, 'completed' from tasks
        where enrollment_id = any(${enrollmentIds}::uuid[]) and step_id is not null and status = 'completed'
      union all
      select enrollment_id, step_id, 'completed' from emails
        where enrollment_id = any(${enrollmentIds}::uuid[]) and step_id is not null and status = 'sent'
    ) facts
    group by enrollment_id, step_id`.execute(h);
  for (const r of rows) {
    let byStep = result.get(r.enrollment_id);
    if (!byStep) result.set(r.enrollment_id, (byStep = new Map()));
    byStep.set(r.step_id, { opened: r.opened, clicked: r.clicked, replied: r.replied, completed: r.completed });
  }
  return result;
}

export interface ThreadParent {
  messageId: string;
  refs: string[];
  subject: string;
}

/** The latest email of each enrolment, which a threaded follow-up replies to. */
export async function loadThreadParents(h: Handle, enrollmentIds: string[]): Promise<Map<string, ThreadParent>> {
  if (enrollmentIds.length === 0) return new Map();
  const { rows } = await sql<{ enrollment_id: string; message_id: string; refs: string[]; subject: string }>`
    select distinct on (enrollment_id) enrollment_id, message_id, refs, subject
    from emails
    where enrollment_id = any(${enrollmentIds}::uuid[]) and status not in ('cancelled', 'failed')
    order by enrollment_id, queued_at desc`.execute(h);
  return new Map(rows.map((r) => [r.enrollment_id, { messageId: r.message_id, refs: r.refs, subject: r.subject }]));
}

export interface OrgSettings {
  timezone: string;
  workingDays: number[];
  holidays: string[];
}

export async function loadOrgSettings(h: Handle): Promise<OrgSettings> {
  const org = await findOrganization(h);
  return { timezone: org.timezone, workingDays: org.working_days, holidays: org.holidays };
}

/** Records boost firings; a boost fires once per enrolment, so the ids returned are those that fired now. */
export async function insertBoostFirings(h: Handle, enrollmentId: string, boostIds: string[], now: Date): Promise<string[]> {
  const rows = await h
    .insertInto('boost_firings')
    .values(boostIds.map((id) => ({ enrollment_id: enrollmentId, boost_id: id, fired_at: now })))
    .onConflict((oc) => oc.doNothing())
    .returning('boost_id')
    .execute();
  return rows.map((r) => r.boost_id);
}

/** An enrolment's history: every step executed or skipped, in order. */
export async function findExecutionsOfEnrollment(h: Handle, enrollmentId: string): Promise<Selectable<StepExecutionTable>[]> {
  return h.selectFrom('step_executions').selectAll().where('enrollment_id', '=', enrollmentId).orderBy('at').execute();
}

/** Human (non-machine) signals of one kind for an enrolment, by step: boost thresholds. */
export async function humanSignalCounts(h: Handle, enrollmentId: string, type: string): Promise<Array<{ step_id: string | null; n: number }>> {
  const { rows } = await sql<{ step_id: string | null; n: number }>`
    select step_id, count(*)::int as n from signals
    where enrollment_id = ${enrollmentId} and type = ${type} and not machine
    group by step_id`.execute(h);
  return rows;
}
