import type { CallOutcome, ExitReason } from '@contract/enums.ts';

/** What people call each number on the page, and in the leads list's title. */
export const METRIC_LABEL: Record<string, string> = {
  enrolled: 'Enrolled', executed: 'Reached', skipped: 'Skipped', sent: 'Sent', opened: 'Human opens (estimate)', clicked: 'Clicked',
  replied: 'Replied', bounced: 'Bounced', unsubscribed: 'Unsubscribed', tasksCompleted: 'Tasks done', meetings: 'Meetings',
};

export const EXIT_LABEL: Record<ExitReason, string> = {
  replied: 'Replied', meeting_booked: 'Meeting booked', converted: 'Converted', criteria_met: 'Criteria met', call_outcome: 'Call outcome',
  bounced: 'Bounced', unsubscribed: 'Unsubscribed', manual: 'Exited by hand', ended: 'Cadence ended',
};

export const OUTCOME_LABEL: Record<CallOutcome, string> = {
  connected: 'Connected', voicemail: 'Voicemail', no_answer: 'No answer', busy: 'Busy', wrong_number: 'Wrong number',
  not_interested: 'Not interested', meeting_booked: 'Meeting booked',
};

export const STATUS_LABEL: Record<string, string> = {
  pending: 'Waiting to start', active: 'Active', paused: 'Paused', completed: 'Completed', exited: 'Exited', failed: 'Failed',
};

/** The title of a list of leads: "Replied", "Exited: Bounced", "Calls: Voicemail", "Now: Active". */
export function metricTitle(metric: string): string {
  const [prefix, detail] = metric.split(':', 2);
  if (prefix === 'exit') return `Exited: ${EXIT_LABEL[detail as ExitReason] ?? detail}`;
  if (prefix === 'call') return `Calls: ${OUTCOME_LABEL[detail as CallOutcome] ?? detail}`;
  if (prefix === 'status') return `Now ${(STATUS_LABEL[detail] ?? detail).toLowerCase()}`;
  return METRIC_LABEL[metric] ?? metric;
}

export const OPENS_ESTIMATE =
  'An estimate: opens by people, counted once per lead. Opens by privacy proxies and link scanners are left out, and some mail apps load no images, so real opens differ.';

/** "12%" of a base, or nothing without one. */
export function rate(part: number, whole: number): string | null {
  if (whole <= 0) return null;
  return `${Math.round((part / whole) * 100)}%`;
}
