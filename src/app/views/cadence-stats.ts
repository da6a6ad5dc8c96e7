import type { ActivityDay, CadenceAnalytics, RepAnalytics, StepAnalytics } from '../../contract/analytics.ts';
import { CALL_OUTCOMES, ENROLLMENT_STATUSES } from '../../contract/enums.ts';
import type { Step } from '../../domain/cadence.ts';
import type { StatRow } from '../../store/stats.repository.ts';

const STEP_LABEL = { email: 'Email', call: 'Call', task: 'Task' } as const;

/** A step as people name it: the email's subject, the call's or task's title. */
export function stepName(step: Step): string {
  return (step.type === 'email' ? step.subject : step.title)?.trim() || STEP_LABEL[step.type];
}

/**
 * A cadence's analytics as the API answers them: every status, step, rep and day,
 * zero when nothing happened. Events count once each (`n`) for emails sent, tasks
 * done and steps executed; opens, clicks, replies, bounces, unsubscribes and meetings
 * count enrolments (`enrollments`): a lead who opened twice opened once.
 */
export function toCadenceAnalytics(
  rows: StatRow[], steps: Step[], names: Map<string, string>, days: string[], range: CadenceAnalytics['range'],
): CadenceAnalytics {
  const find = (by: StatRow['by'], kind: StatRow['kind'], match: (r: StatRow) => boolean) => rows.filter((r) => r.by === by && r.kind === kind && match(r));
  const sum = (list: StatRow[], field: 'n' | 'enrollments') => list.reduce((total, r) => total + r[field], 0);
  const stepRows = (kind: StatRow['kind'], stepId: string) => find('step', kind, (r) => r.step_id === stepId);

  const enrollments = Object.fromEntries(ENROLLMENT_STATUSES.map((s) => [s, sum(find('step', 'enrolled', (r) => r.detail === s), 'n')])) as CadenceAnalytics['enrollments'];
  const exitReasons: Record<string, number> = {};
  for (const r of find('step', 'exited', () => true)) if (r.detail) exitReasons[r.detail] = r.n;

  const stepStats: StepAnalytics[] = steps.map((step, index) => {
    const people = (kind: StatRow['kind']) => sum(stepRows(kind, step.id), 'enrollments');
    const tasks = stepRows('task_done', step.id);
    return {
      stepId: step.id, index, type: step.type, name: stepName(step),
      executed: sum(stepRows('executed', step.id), 'n'),
      skipped: sum(stepRows('skipped', step.id), 'n'),
      sent: sum(stepRows('sent', step.id), 'n'),
      opened: people('opened'), clicked: people('clicked'), replied: people('replied'),
      bounced: people('bounced'), unsubscribed: people('unsubscribed'),
      tasksCompleted: sum(tasks, 'n'),
      callOutcomes: Object.fromEntries(CALL_OUTCOMES.map((o) => [o, sum(tasks.filter((r) => r.detail === o), 'n')])) as StepAnalytics['callOutcomes'],
    };
  });

  const owners = new Map<string | null, RepAnalytics>();
  const rep = (ownerId: string | null) => {
    let r = owners.get(ownerId);
    if (!r) {
      r = { ownerId, name: ownerId ? names.get(ownerId) ?? 'Former user' : 'No owner', enrolled: 0, sent: 0, replied: 0, meetings: 0 };
      owners.set(ownerId, r);
    }
    return r;
  };
  for (const r of rows.filter((x) => x.by === 'owner')) {
    if (r.kind === 'enrolled') rep(r.owner_id).enrolled = r.n;
    else if (r.kind === 'sent') rep(r.owner_id).sent = r.n;
    else if (r.kind === 'replied') rep(r.owner_id).replied = r.enrollments;
    else if (r.kind === 'meeting_booked') rep(r.owner_id).meetings = r.enrollments;
  }
  const byRep = [...owners.values()].sort((a, b) => b.enrolled - a.enrolled || a.name.localeCompare(b.name));

  const byDay = new Map<string, ActivityDay>(days.map((day) => [day, { day, sent: 0, opened: 0, clicked: 0, replied: 0, meetings: 0 }]));
  const SERIES = { sent: 'sent', opened: 'opened', clicked: 'clicked', replied: 'replied', meeting_booked: 'meetings' } as const;
  for (const r of rows.filter((x) => x.by === 'day')) {
    const day = r.day ? byDay.get(r.day) : undefined;
    const field = SERIES[r.kind as keyof typeof SERIES];
    if (day && field) day[field] = field === 'sent' ? r.n : r.enrollments;
  }

  return { range, enrollments, exitReasons, steps: stepStats, byRep, activity: [...byDay.values()] };
}

// ---- CSV ----

/**
 * A cell as text a spreadsheet shows and never runs: a value that a spreadsheet would
 * read as a formula (=, +, -, @, a tab or a carriage return first) gets a leading
 * apostrophe (OWASP's advice), and any cell with a comma, a quote or a line break is quoted.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvLine = (cells: Array<string | number | null>) => cells.map(csvCell).join(',');

const OUTCOME_LABEL: Record<(typeof CALL_OUTCOMES)[number], string> = {
  connected: 'Connected', voicemail: 'Voicemail', no_answer: 'No answer', busy: 'Busy', wrong_number: 'Wrong number',
  not_interested: 'Not interested', meeting_booked: 'Meeting booked',
};

/** The funnel per step, a blank line, then the numbers by rep; a header row before each. */
export function analyticsCsv(a: CadenceAnalytics): string {
  const lines = [
    csvLine([
      'Step', 'Type', 'Name', 'Executed', 'Skipped', 'Sent', 'Human opens (estimate)', 'Clicked', 'Replied', 'Bounced', 'Unsubscribed',
      'Tasks done', ...CALL_OUTCOMES.map((o) => `Calls: ${OUTCOME_LABEL[o]}`),
    ]),
    ...a.steps.map((s) => csvLine([
      s.index + 1, s.type, s.name, s.executed, s.skipped, s.sent, s.opened, s.clicked, s.replied, s.bounced, s.unsubscribed,
      s.tasksCompleted, ...CALL_OUTCOMES.map((o) => s.callOutcomes[o]),
    ])),
    '',
    csvLine(['Rep', 'Enrolled', 'Sent', 'Replied', 'Meetings']),
    ...a.byRep.map((r) => csvLine([r.name, r.enrolled, r.sent, r.replied, r.meetings])),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
