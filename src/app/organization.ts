import { findOrganization, updateOrganizationSettings } from '../store/organization.repository.ts';
import type { Organization, OrganizationPatch } from '../contract/organization.ts';
import { assertAdmin, type Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { invalid } from './errors.ts';

export type { Organization } from '../contract/organization.ts';

export async function getOrganization(ctx: AppContext): Promise<Organization> {
  const org = await findOrganization(ctx.db);
  return { name: org.name, timezone: org.timezone, workingDays: org.working_days, holidays: [...org.holidays].sort() };
}

/**
 * The organisation's defaults: the time zone schedules fall back to, the working days
 * and holidays that `business_days` delays skip.
 */
export async function updateOrganization(ctx: AppContext, actor: Actor, patch: OrganizationPatch): Promise<Organization> {
  assertAdmin(actor);
  return writeOrganization(ctx, patch);
}

async function writeOrganization(ctx: AppContext, patch: OrganizationPatch): Promise<Organization> {
  if (patch.workingDays && patch.workingDays.length === 0) {
    throw invalid('body.workingDays: at least one working day', [{ path: 'body.workingDays', message: 'at least one working day' }]);
  }
  const changes = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
    ...(patch.workingDays !== undefined ? { working_days: [...new Set(patch.workingDays)].sort() } : {}),
    ...(patch.holidays !== undefined ? { holidays: [...new Set(patch.holidays)].sort() } : {}),
  };
  // An empty patch changes nothing (an UPDATE with no SET is not SQL).
  if (Object.keys(changes).length > 0) await updateOrganizationSettings(ctx.db, changes);
  return getOrganization(ctx);
}

export async function addHolidays(ctx: AppContext, actor: Actor, dates: string[]): Promise<string[]> {
  assertAdmin(actor);
  const org = await getOrganization(ctx);
  return (await writeOrganization(ctx, { holidays: [...org.holidays, ...dates] })).holidays;
}

export async function removeHoliday(ctx: AppContext, actor: Actor, date: string): Promise<string[]> {
  assertAdmin(actor);
  const org = await getOrganization(ctx);
  return (await writeOrganization(ctx, { holidays: org.holidays.filter((d) => d !== date) })).holidays;
}
