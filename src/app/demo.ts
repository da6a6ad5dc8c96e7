import { anyUserExists } from '../store/user.repository.ts';
import type { Actor } from './actor.ts';
import { createCadence, transitionCadence } from './cadences.ts';
import type { AppContext } from './context.ts';
import { enroll } from './enroll.ts';
import { createLeadsBulk } from './leads.ts';
import { createUser, issueToken, putMailbox } from './users.ts';

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis', 'Radia', 'Linus', 'Hedy'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Ritchie', 'Perlman'];
const COMPANIES = ['Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', 'Wayne Enterprises'];
const ZONES = ['America/New_York', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Sydney'];

/** Whether the database holds no users yet: the demo fills only an empty workspace. */
export async function isEmptyWorkspace(ctx: AppContext): Promise<boolean> {
  return !(await anyUserExists(ctx.db));
}

/**
 * A demo workspace: an admin, two reps with mailboxes, 25 leads, two active cadences
 * and enrolments. Returns the admin's token (shown once).
 */
export async function createDemoWorkspace(ctx: AppContext): Promise<{ adminToken: string; repTokens: string[] }> {
  const admin = await createUser(ctx, { name: 'Avery Admin', email: 'admin@demo.cadenza.dev', role: 'admin' });
  const reps = [
    await createUser(ctx, { name: 'Riley Rep', email: 'riley@demo.cadenza.dev', role: 'rep', timezone: 'America/New_York' }),
    await createUser(ctx, { name: 'Sam Seller', email: 'sam@demo.cadenza.dev', role: 'rep', timezone: 'Europe/London' }),
  ];
  const adminActor: Actor = { id: admin.id, role: 'admin', name: admin.name, email: admin.email };
  for (const rep of reps) {
    await putMailbox(ctx, adminActor, rep.id, { fromEmail: rep.email, fromName: rep.name, dailyLimit: 200, hourlyLimit: 40 });
  }
  const records = Array.from({ length: 25 }, (_, i) => ({
    email: `${FIRST[i % FIRST.length].toLowerCase()}.${LAST[i % LAST.length].toLowerCase()}${i}@example.com`,
    firstName: FIRST[i % FIRST.length],
    lastName: LAST[i % LAST.length],
    company: COMPANIES[i % COMPANIES.length],
    status: 'New',
    ownerId: reps[i % 2].id,
    timezone: ZONES[i % ZONES.length],
  }));
  const { created } = await createLeadsBulk(ctx, adminActor, records);

  const outbound = await createCadence(ctx, adminActor, {
    name: 'Outbound: new leads',
    exitOn: { onReply: true, onMeeting: true, onConversion: true, fieldCriteria: [{ field: 'status', in: ['Qualified', 'Disqualified'] }], callOutcomes: ['not_interested'] },
    steps: [
      { type: 'email', subject: 'Quick question, {{lead.firstName | fallback: "there"}}', body: 'Hi {{lead.firstName | fallback: "there"}},\n\nDoes {{lead.company | fallback: "your team"}} still plan its outreach by hand?\n\n{{owner.name}}' },
      { type: 'call', delayDays: 2, title: 'Call {{lead.fullName}}', instructions: 'Ask about their current process.' },
      { type: 'email', delay: { amount: 3, unit: 'business_days' }, threadWithPrevious: true, body: 'Hi {{lead.firstName | fallback: "there"}}, following up on my note below.\n\n{{owner.name}}' },
      { type: 'task', delayDays: 2, title: 'Connect with {{lead.fullName}} on LinkedIn', priority: 'low' },
    ],
    boosts: [{ on: 'clicked', stepIndex: 0, action: { type: 'call', title: 'Hot lead: {{lead.fullName}} clicked', priority: 'high' } }],
  });
  const nurture = await createCadence(ctx, adminActor, {
    name: 'Re-engage: quiet leads',
    waitForTasks: false,
    steps: [
      { type: 'task', title: 'Research {{lead.company}}', instructions: 'Find a recent trigger event.' },
      { type: 'email', delayDays: 1, mode: 'manual', subject: 'Idea for {{lead.company}}', body: 'Hi {{lead.firstName}}, …' },
      { type: 'email', delayDays: 4, condition: { stepIndex: 1, is: 'not_replied' }, subject: 'Worth a chat?', body: 'Hi {{lead.firstName}}, shall we talk this week?' },
    ],
  });
  await transitionCadence(ctx, outbound.id, 'activate');
  await transitionCadence(ctx, nurture.id, 'activate');
  await enroll(ctx, adminActor, outbound.id, created.slice(0, 15));
  await enroll(ctx, adminActor, nurture.id, created.slice(15));

  return {
    adminToken: await issueToken(ctx, admin.id),
    repTokens: [await issueToken(ctx, reps[0].id), await issueToken(ctx, reps[1].id)],
  };
}
