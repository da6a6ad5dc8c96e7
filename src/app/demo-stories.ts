import { DateTime } from 'luxon';
import type { EmailRow, TaskRow } from '../store/schema.ts';
import type { Actor } from './actor.ts';
import { CALL_AFTER_HOURS, MANUAL_EMAIL_AFTER_HOURS } from './demo-data.ts';
import { demoBounce, demoOutOfOffice, demoReply } from './demo-mail.ts';
import type { DemoTimeline } from './demo-timeline.ts';
import { enroll } from './enroll.ts';
import { receiveInbound } from './inbound.ts';
import { skipTask } from './task-actions.ts';
import { completeTask } from './tasks.ts';
import { recordClick, recordOpen } from './tracking.ts';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

/** A mail client a person reads in, and a privacy proxy that fetches every image on delivery. */
const PERSON = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15';
const PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';

export interface RepStage {
  rep: Actor;
  zone: string;
  admin: Actor;
  /** The rep's leads' ids, in the order of demoLeads. */
  leads: string[];
  cadences: { outbound: string; reengage: string };
}

/**
 * Where today's due work is placed for a rep: from 08:00 in the rep's zone (from
 * midnight when the demo starts earlier) to now, at most the last eight hours.
 * The window is never empty in time: at midnight it is the one instant `now`.
 */
export function todayWindow(now: Date, zone: string): { start: number; end: number } {
  const midnight = DateTime.fromJSDate(now, { zone }).startOf('day');
  const end = now.getTime();
  const eight = midnight.set({ hour: 8 }).toMillis();
  return { start: Math.max(end >= eight ? eight : midnight.toMillis(), end - 8 * H), end };
}

/**
 * One rep's last ten days, lead by lead. Leads 0 to 3 get calls due today (lead 3
 * clicked: hot), 4 replied, 5 is out of office, 6 took a call and got the follow-up,
 * 7 was not interested, 8 booked a meeting, 9's call was skipped, 10 and 11 have
 * calls overdue, 12 bounced; in the re-engage cadence 13 has a manual email due
 * today, 14 research due today, 15 a manual email overdue; 16 to 19 are not enrolled.
 */
export function scriptRep(tl: DemoTimeline, s: RepStage, now: Date): void {
  const N = now.getTime();
  const ago = (ms: number) => new Date(N - ms);
  const w = todayWindow(now, s.zone);
  const today = (f: number) => new Date(w.start + f * (w.end - w.start));
  const enrollments = new Map<number, string>();
  const enrollmentOf = (lead: number) => {
    const id = enrollments.get(lead);
    if (!id) throw new Error(`demo history: lead ${lead} of ${s.rep.name} is not enrolled yet`);
    return id;
  };

  const enrol = (lead: number, cadence: 'outbound' | 'reengage', at: Date) => tl.at(at, async () => {
    const r = await enroll(tl.ctx, s.admin, s.cadences[cadence], [s.leads[lead]]);
    if (r.enrolled.length !== 1) throw new Error(`demo history: lead ${lead} not enrolled: ${JSON.stringify(r.rejected)}`);
    enrollments.set(lead, r.enrolled[0].id);
  });
  const onEmail = (lead: number, at: Date, fn: (email: EmailRow) => Promise<unknown>) =>
    tl.at(at, async () => { await fn(await tl.lastSentEmail(enrollmentOf(lead))); });
  const onTask = (lead: number, at: Date, fn: (task: TaskRow) => Promise<unknown>) =>
    tl.at(at, async () => { await fn(await tl.openTask(enrollmentOf(lead))); });
  const open = (lead: number, at: Date, agent = PERSON) => onEmail(lead, at, (e) => recordOpen(tl.ctx, e.token, agent));
  const click = (lead: number, at: Date) => onEmail(lead, at, (e) => recordClick(tl.ctx, `${e.token}.0`, PERSON));
  const inbound = (lead: number, at: Date, raw: (e: EmailRow) => Buffer) =>
    onEmail(lead, at, (e) => receiveInbound(tl.ctx, raw(e)));
  const complete = (lead: number, at: Date, outcome?: string, note?: string) =>
    onTask(lead, at, (t) => completeTask(tl.ctx, s.rep, t.id, { outcome, note }));
  const callAt = (due: Date) => new Date(due.getTime() - CALL_AFTER_HOURS * H);

  // Calls due today: each lead got the first email two days before.
  const due = [0.15, 0.4, 0.65, 0.9].map(today);
  due.forEach((at, lead) => enrol(lead, 'outbound', callAt(at)));
  open(0, new Date(callAt(due[0]).getTime() + MIN), PROXY);
  open(0, new Date(callAt(due[0]).getTime() + 3 * H));
  open(1, new Date(callAt(due[1]).getTime() + 20 * H));
  // Lead 3 opened, then clicked yesterday: the boost's call and today's call are hot.
  open(3, new Date(callAt(due[3]).getTime() + H));
  click(3, new Date(callAt(due[3]).getTime() + 30 * H));

  enrol(4, 'outbound', ago(6 * D));
  open(4, ago(6 * D - 4 * H));
  inbound(4, ago(5 * D), (e) => demoReply(e, ago(5 * D), `${s.leads[4]}`, 'Thanks, yes: this is on our list for next quarter. Could you call me on Thursday?'));

  enrol(5, 'outbound', ago(5 * D + 2 * H));
  const back = DateTime.fromMillis(N, { zone: 'UTC' }).plus({ days: 3 }).toISODate()!;
  inbound(5, ago(5 * D - 4 * H), (e) => demoOutOfOffice(e, ago(5 * D - 4 * H), `${s.leads[5]}`, back));

  enrol(6, 'outbound', ago(8 * D));
  complete(6, ago(6 * D - 2 * H), 'connected', 'Evaluating tools next quarter; send the case study.');
  open(6, ago(3 * D - 5 * H));

  enrol(7, 'outbound', ago(7 * D + 3 * H));
  complete(7, ago(5 * D + 2 * H), 'not_interested', 'Happy with their current agency.');

  enrol(8, 'outbound', ago(9 * D));
  open(8, ago(9 * D - 2 * H));
  complete(8, ago(7 * D - H), 'meeting_booked', 'Demo booked for next Tuesday.');

  enrol(9, 'outbound', ago(6 * D + 4 * H));
  onTask(9, ago(4 * D + 3 * H), (t) => skipTask(tl.ctx, s.rep, t.id, { note: 'Number disconnected; the emails will do.' }));
  open(9, ago(D + 3 * H - 2 * MIN), PROXY);

  // Calls left open for days: the overdue part of the queue.
  enrol(10, 'outbound', ago(4 * D + 3 * H));
  open(10, ago(4 * D + H));
  enrol(11, 'outbound', ago(5 * D - H));

  enrol(12, 'outbound', ago(3 * D + H));
  inbound(12, ago(3 * D + H - 2 * MIN), (e) => demoBounce(e, ago(3 * D + H - 2 * MIN), `${s.leads[12]}`));

  // Re-engage: research done yesterday makes today's manual email due.
  const manualDue = today(0.5);
  enrol(13, 'reengage', new Date(manualDue.getTime() - MANUAL_EMAIL_AFTER_HOURS * H - 3 * H));
  complete(13, new Date(manualDue.getTime() - MANUAL_EMAIL_AFTER_HOURS * H), undefined, 'They announced a Series B last week.');
  enrol(14, 'reengage', today(0.05));
  enrol(15, 'reengage', ago(4 * D));
  complete(15, ago(4 * D - 2 * H), undefined, 'New VP of Sales since March.');
}
