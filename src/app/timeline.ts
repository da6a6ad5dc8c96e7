import { parseTimelineCursor, type Timeline, type TimelineItem, type TimelineQuery, type TimelineType } from '../contract/timeline.ts';
import { findLead } from '../store/lead.repository.ts';
import { findTimeline, type TimelineRow } from '../store/timeline.repository.ts';
import { assertOwns, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { notFound } from './errors.ts';

/**
 * A lead's timeline, newest first: a rep sees its own leads' only (404 otherwise), an
 * admin any. One statement a page (see timeline.repository.ts).
 */
export async function leadTimeline(ctx: AppContext, actor: Actor, recordId: string, query: TimelineQuery): Promise<Timeline> {
  const lead = await findLead(ctx.db, recordId);
  if (!lead) throw notFound('record', recordId);
  assertOwns(actor, lead.owner_id, 'record', recordId);
  const cursor = query.before ? parseTimelineCursor(query.before) : null;
  const rows = await findTimeline(ctx.db, recordId, query.limit + 1, cursor && { at: new Date(cursor.at), key: cursor.key });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toTimelineItem),
    ...(rows.length > query.limit && last ? { nextBefore: `${last.at.toISOString()}~${last.key}` } : {}),
  };
}

const SIGNAL_TYPES: Record<string, TimelineType> = {
  opened: 'email_opened',
  clicked: 'email_clicked',
  replied: 'email_replied',
  reply_other: 'reply_other',
  bounced: 'email_bounced',
  soft_bounced: 'email_bounced',
  auto_reply: 'auto_reply',
  unsubscribed: 'unsubscribed',
  converted: 'converted',
  meeting_booked: 'meeting_booked',
};

const EXIT_REASONS: Record<string, string> = {
  replied: 'the lead replied',
  meeting_booked: 'a meeting was booked',
  converted: 'the lead was converted',
  criteria_met: 'a field matched the cadence\u2019s exit criteria',
  call_outcome: 'a call\u2019s outcome ends the cadence',
  bounced: 'an email bounced',
  unsubscribed: 'the lead unsubscribed',
  manual: 'exited by hand',
  ended: 'the cadence\u2019s end date passed',
};

const TASK_KINDS: Record<string, string> = { call: 'call', task: 'to-do', email: 'manual email' };

const quoted = (s: string | null) => (s ? ` \u201c${s}\u201d` : '');
const when = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : null);

export function toTimelineItem(r: TimelineRow): TimelineItem {
  const base = {
    at: r.at.toISOString(),
    ...(r.enrollment_id ? { enrollmentId: r.enrollment_id } : {}),
    ...(r.email_id ? { emailId: r.email_id } : {}),
    ...(r.task_id ? { taskId: r.task_id } : {}),
  };
  const item = (type: TimelineType, title: string, detail?: string | null, extra: Partial<TimelineItem> = {}): TimelineItem =>
    ({ ...base, type, title, ...extra, ...(detail ? { detail } : {}) });
  const cadence = r.cadence_name ?? 'a cadence';
  switch (r.type) {
    case 'enrolled': return item('enrolled', `Enrolled in ${cadence}`);
    case 'completed': return item('completed', `Completed ${cadence}`);
    case 'exited': return item('exited', `Exited ${cadence}`, r.reason && (EXIT_REASONS[r.reason] ? `${r.reason}: ${EXIT_REASONS[r.reason]}` : r.reason));
    case 'email_sent': return item('email_sent', `Email sent: ${r.subject ?? '(no subject)'}`);
    case 'task_created': return item('task_created', `New ${TASK_KINDS[r.task_type ?? ''] ?? 'task'}: ${r.subject ?? ''}`);
    case 'task_completed': return item('task_completed', `Done: ${r.subject ?? ''}`, [r.outcome, r.note].filter(Boolean).join(' \u2014 '));
    case 'task_skipped': return item('task_skipped', `Skipped: ${r.subject ?? ''}`, r.note);
    case 'step_skipped': {
      const step = r.step_index === null ? 'A step' : `Step ${r.step_index + 1}`;
      return item('step_skipped', `${step} of ${cadence} skipped`, r.reason);
    }
    case 'paused': {
      const until = when(r.data?.until);
      return item('paused', `Paused ${cadence}`, until && `until ${until}`);
    }
    case 'resumed': return item('resumed', `Resumed ${cadence}`);
    case 'field_changed': return fieldChanged(r, item);
    case 'signal': return signalItem(r, item);
  }
}

type MakeItem = (type: TimelineType, title: string, detail?: string | null, extra?: Partial<TimelineItem>) => TimelineItem;

function signalItem(r: TimelineRow, item: MakeItem): TimelineItem {
  const type = SIGNAL_TYPES[r.signal_type ?? ''] ?? 'email_opened';
  const machine = { machine: r.machine === true };
  switch (type) {
    case 'email_opened':
      return item(type, r.machine ? 'Opened by a machine (a privacy proxy or a link scanner)' : `Opened${quoted(r.subject)}`, null, machine);
    case 'email_clicked': {
      const url = typeof r.data?.url === 'string' ? r.data.url : null;
      return item(type, r.machine ? 'Link fetched by a machine (a link scanner)' : `Clicked a link in${quoted(r.subject) || ' an email'}`, url, machine);
    }
    case 'email_replied': return item(type, r.subject ? `Replied to${quoted(r.subject)}` : 'Replied');
    case 'reply_other': return otherReply(r, item);
    case 'email_bounced': return bounceItem(r, item);
    case 'auto_reply': {
      const until = when(r.data?.until);
      return item(type, 'Auto-reply: out of office', until && `paused until ${until}`);
    }
    case 'unsubscribed': return item(type, 'Unsubscribed');
    case 'converted': return item(type, 'Converted to a contact');
    default: return item(type, 'Meeting booked', meetingDetail(r.data));
  }
}

const BOOKING_TOOLS: Record<string, string> = { calcom: 'Cal.com', calendly: 'Calendly' };

/** Where a meeting was booked (a booking tool's webhook, src/app/bookings.ts) and when it starts. */
function meetingDetail(data: Record<string, unknown> | null | undefined): string | null {
  const tool = typeof data?.provider === 'string' ? BOOKING_TOOLS[data.provider] ?? null : null;
  const starts = when(data?.startTime);
  if (!tool) return null;
  return `Booked on ${tool}${starts ? `, starts ${starts}` : ''}`;
}

/**
 * A bounce, with what the server said (an SMTP answer, or a report's status and words);
 * a soft one (a full mailbox, a delay, a policy refusal of our server) ends nothing.
 */
function bounceItem(r: TimelineRow, item: MakeItem): TimelineItem {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const said = text(r.data?.reply) ?? ([text(r.data?.status), text(r.data?.reason)].filter(Boolean).join(' ') || null);
  if (r.signal_type === 'soft_bounced') {
    return item('email_bounced', `Delivery problem${r.subject ? ` with${quoted(r.subject)}` : ''} (not a hard bounce) \u2014 the cadence goes on`, said);
  }
  return item('email_bounced', r.subject ? `Bounced:${quoted(r.subject)}` : 'An email bounced', said);
}

/**
 * A message threaded on our email from someone who is not the lead (issue 14). It ended
 * enrolments only under a cadence that counts replies from the lead's company.
 */
function otherReply(r: TimelineRow, item: MakeItem): TimelineItem {
  const from = typeof r.data?.from === 'string' && r.data.from ? r.data.from : 'someone else';
  const exited = typeof r.data?.exited === 'number' ? r.data.exited : 0;
  const to = r.subject ? ` to${quoted(r.subject)}` : '';
  return exited > 0
    ? item('reply_other', `Reply from ${from} (at the lead\u2019s company)${to}`, 'counted as the lead\u2019s reply: the cadence counts replies from the lead\u2019s company')
    : item('reply_other', `Reply from ${from} (not the lead)${to} \u2014 the cadence goes on`);
}

interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

function fieldChanged(r: TimelineRow, item: MakeItem): TimelineItem {
  const changes = (Array.isArray(r.data?.changes) ? r.data.changes : []) as FieldChange[];
  const show = (v: string | null) => (v === null || v === '' ? '(empty)' : v);
  return item(
    'field_changed',
    `Changed ${changes.map((c) => c.field).join(', ') || 'fields'}`,
    changes.map((c) => `${c.field}: ${show(c.from)} \u2192 ${show(c.to)}`).join('; '),
  );
}
