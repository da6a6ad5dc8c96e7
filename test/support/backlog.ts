import type { AppContext } from '../../src/app/context.ts';
import { createCadence, transitionCadence } from '../../src/app/cadences.ts';
import { enrollIn } from '../../src/app/enroll.ts';
import { createLeadsBulk } from '../../src/app/leads.ts';
import { createUser, putMailbox } from '../../src/app/users.ts';
import { findCadence } from '../../src/store/cadence.repository.ts';

const CHUNK = 10_000;

/**
 * A backlog due at once, as the crash and outage tests drain it: `leads` leads of one
 * rep enrolled in an active cadence of (email, task, email) that runs every hour of
 * every day and does not wait for tasks. Leads are `<prefix><i>@<domain>`.
 */
export async function seedBacklog(ctx: AppContext, opts: { leads: number; domain: string; prefix: string; mailbox?: boolean }) {
  const admin = await createUser(ctx, { name: 'Admin', email: `admin@${opts.domain}`, role: 'admin' });
  const actor = { id: admin.id, role: 'admin' as const, name: admin.name, email: admin.email };
  const rep = await createUser(ctx, { name: 'Rep', email: `rep@${opts.domain}`, role: 'rep' });
  if (opts.mailbox) await putMailbox(ctx, actor, rep.id, { fromEmail: rep.email, dailyLimit: 100_000, hourlyLimit: 100_000 });
  const cadence = await createCadence(ctx, actor, {
    name: 'Backlog',
    waitForTasks: false,
    schedule: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' },
    steps: [
      { type: 'email', subject: 'Hello {{lead.firstName}}', body: 'First touch' },
      { type: 'task', title: 'Research {{lead.firstName}}' },
      { type: 'email', subject: 'Following up', body: 'Second touch' },
    ],
  });
  await transitionCadence(ctx, cadence.id, 'activate');
  const leadIds: string[] = [];
  for (let i = 0; i < opts.leads; i += CHUNK) {
    const records = Array.from({ length: Math.min(CHUNK, opts.leads - i) }, (_, j) => ({
      email: `${opts.prefix}${i + j}@${opts.domain}`, firstName: `${opts.prefix.toUpperCase()}${i + j}`, ownerId: rep.id,
    }));
    leadIds.push(...(await createLeadsBulk(ctx, actor, records)).created);
  }
  const stored = (await findCadence(ctx.db, cadence.id))!;
  for (let i = 0; i < leadIds.length; i += CHUNK) {
    await ctx.db.transaction().execute((trx) =>
      enrollIn(ctx, trx, actor, cadence.id, stored.definition, stored.row.version, leadIds.slice(i, i + CHUNK)));
  }
  return { admin, rep, cadenceId: cadence.id, leadIds };
}
