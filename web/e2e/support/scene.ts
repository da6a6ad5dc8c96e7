/**
 * The rep's day the browser tests work through, prepared by the admin through the API
 * (the admin pages come later): a rep who signs in with a password and sends from a
 * mailbox on the SMTP sink; a cadence of an automatic email, a call, a manual email in
 * the same thread and a to-do (then a check-in a month later, so the enrolment stays
 * active); one lead of the rep's, enrolled. Its schedule is every day around the clock
 * in UTC, so the work is due whatever day and hour the tests run.
 */
import type { Api } from './api.ts';

export const ADMIN = { name: 'Ada Admin', email: 'ada@e2e.test', password: 'correct horse battery' };
export const REP = { name: 'Rita Rep', email: 'rita@e2e.test', password: 'staple battery horse' };
export const LEAD = { firstName: 'Lena', lastName: 'Lindqvist', email: 'lena@northwind.test', company: 'Northwind', phone: '+44 20 7946 0321' };
export const CADENCE_NAME = 'Northwind outreach';
export const FIRST_SUBJECT = 'A question for {{lead.company}}';
export const CALL_TITLE = 'Call {{lead.firstName}}';
export const MANUAL_BODY = 'Hi {{lead.firstName}},\n\nFollowing up on my note from Monday.\n\nRita';
export const TODO_TITLE = 'Research {{lead.company}}';

export interface RepDay {
  repId: string;
  leadId: string;
  cadenceId: string;
  enrollmentId: string;
}

export async function prepareRepDay(admin: Api, smtpUrl: string): Promise<RepDay> {
  const rep = await admin.post<{ id: string }>('/api/users', { ...REP, role: 'rep', timezone: 'UTC' }, 201);
  await admin.put(`/api/users/${rep.id}/mailbox`, { fromEmail: REP.email, fromName: REP.name, smtpUrl });
  const cadence = await admin.post<{ id: string }>('/api/cadences', {
    name: CADENCE_NAME,
    schedule: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' },
    waitForTasks: false,
    steps: [
      { type: 'email', subject: FIRST_SUBJECT, body: 'Hi {{lead.firstName}},\n\nDoes {{lead.company}} still plan its rollout this quarter?\n\nRita' },
      { type: 'call', title: CALL_TITLE, instructions: 'Ask who owns the rollout.' },
      { type: 'email', mode: 'manual', threadWithPrevious: true, title: 'Follow up with {{lead.firstName}}', body: MANUAL_BODY },
      { type: 'task', title: TODO_TITLE },
      { type: 'call', delayDays: 30, title: 'Check in with {{lead.firstName}}' },
    ],
  }, 201);
  await admin.post(`/api/cadences/${cadence.id}/activate`);
  const lead = await admin.post<{ id: string }>('/api/leads', { ...LEAD, ownerId: rep.id, timezone: 'Europe/London' }, 201);
  const enrolled = await admin.post<{ enrolled: Array<{ id: string }>; rejected: unknown[] }>(
    `/api/cadences/${cadence.id}/enrollments`, { recordIds: [lead.id] }, 201);
  if (enrolled.enrolled.length !== 1) throw new Error(`enrolment refused: ${JSON.stringify(enrolled.rejected)}`);
  // The engine runs what fell due: the first email leaves, the call, the manual email and the to-do are the rep's.
  await admin.advanceClock('PT1M');
  return { repId: rep.id, leadId: lead.id, cadenceId: cadence.id, enrollmentId: enrolled.enrolled[0]!.id };
}
