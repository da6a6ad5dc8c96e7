import { randomBytes } from 'node:crypto';
import { anyUserExists } from '../store/user.repository.ts';
import type { Actor } from './actor.ts';
import { createCadence, transitionCadence } from './cadences.ts';
import type { AppContext } from './context.ts';
import { DEMO_ADMIN, DEMO_REPS, OUTBOUND, REENGAGE, demoLeads, type DemoPerson } from './demo-data.ts';
import { scriptRep } from './demo-stories.ts';
import { DemoTimeline } from './demo-timeline.ts';
import { createLeadsBulk } from './leads.ts';
import { listTasks } from './tasks.ts';
import { createUser, issueToken, putMailbox } from './users.ts';

/** How far back the demo's history starts. */
const HISTORY_DAYS = 10;

/** Whether the database holds no users yet: the demo fills only an empty workspace. */
export async function isEmptyWorkspace(ctx: AppContext): Promise<boolean> {
  return !(await anyUserExists(ctx.db));
}

export interface DemoUser extends DemoPerson {
  /** Drawn at random for this workspace, shown once. */
  password: string;
}

export interface DemoRepDay {
  email: string;
  timezone: string;
  dueToday: number;
  hot: number;
  overdue: number;
}

export interface DemoWorkspace {
  adminToken: string;
  users: DemoUser[];
  /** What each rep's Today holds when the demo is ready. */
  days: DemoRepDay[];
}

const password = () => randomBytes(12).toString('base64url');
const actorOf = (u: { id: string; role: 'admin' | 'rep'; name: string; email: string }): Actor =>
  ({ id: u.id, role: u.role, name: u.name, email: u.email });

/**
 * A demo workspace: an admin and two reps who sign in with passwords, 40 leads, two
 * cadences and ten days of history lived through the engine and the use cases up to
 * the context's now (see DemoTimeline), so that each rep's Today has calls due, a
 * few overdue, a hot lead and a manual email to send, whatever the day and hour.
 */
export async function createDemoWorkspace(ctx: AppContext): Promise<DemoWorkspace> {
  const now = ctx.clock.now();
  const tl = new DemoTimeline(ctx, new Date(now.getTime() - HISTORY_DAYS * 24 * 3_600_000));
  const users: DemoUser[] = [DEMO_ADMIN, ...DEMO_REPS].map((p) => ({ ...p, password: password() }));
  const created = [];
  for (const u of users) created.push(await createUser(tl.ctx, u));
  const [admin, ...reps] = created.map(actorOf);
  for (const rep of reps) {
    await putMailbox(tl.ctx, admin, rep.id, { fromEmail: rep.email, fromName: rep.name, dailyLimit: 200, hourlyLimit: 40 });
  }
  const cadences = { outbound: (await createCadence(tl.ctx, admin, OUTBOUND)).id, reengage: (await createCadence(tl.ctx, admin, REENGAGE)).id };
  await transitionCadence(tl.ctx, cadences.outbound, 'activate');
  await transitionCadence(tl.ctx, cadences.reengage, 'activate');

  for (const [r, rep] of reps.entries()) {
    const { created: leads, rejected } = await createLeadsBulk(tl.ctx, admin, demoLeads(r, rep.id));
    if (rejected.length > 0) throw new Error(`demo: leads refused: ${JSON.stringify(rejected)}`);
    scriptRep(tl, { rep, zone: DEMO_REPS[r].timezone!, admin, leads, cadences }, now);
  }
  await tl.playUntil(now);

  const days: DemoRepDay[] = [];
  for (const [r, rep] of reps.entries()) {
    const page = { status: 'open' as const, limit: 1000, offset: 0 };
    const today = await listTasks(ctx, rep, { ...page, due: 'today', sort: 'priority' });
    const overdue = await listTasks(ctx, rep, { ...page, due: 'overdue' });
    days.push({ email: rep.email, timezone: DEMO_REPS[r].timezone!, dueToday: today.length, hot: today.filter((t) => t.hot).length, overdue: overdue.length });
  }
  return { adminToken: await issueToken(ctx, admin.id), users, days };
}

/** What `cadenza serve` and `cadenza demo` print about the demo: who signs in with what, and where the work is. */
export function describeDemo(demo: DemoWorkspace, url: string | null): string[] {
  const width = Math.max(...demo.users.map((u) => u.email.length));
  const lines = [`demo workspace created: sign in ${url ? `at ${url}/` : 'once the server runs (npm start)'} with these (shown once):`];
  for (const u of demo.users) {
    const day = demo.days.find((d) => d.email === u.email);
    const note = day ? `  ${day.dueToday} tasks due today (${day.hot} hot), ${day.overdue} overdue, in ${day.timezone}` : '';
    lines.push(`  ${u.role.padEnd(5)} ${u.email.padEnd(width)}  password ${u.password}${note}`);
  }
  lines.push('  a rep\'s work is on Today (GET /api/tasks?due=today&sort=priority): calls, a hot lead, a manual email to send;');
  lines.push('  ten days of history (emails sent and opened, a click, a reply, call outcomes) are on each lead\'s page.');
  lines.push(`Admin token (shown once): ${demo.adminToken}`);
  return lines;
}
