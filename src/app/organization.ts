import { findOrganization, updateOrganizationSettings } from '../store/organization.repository.ts';
import type { AppContext } from './context.ts';
import { invalid } from './errors.ts';

export interface Organization {
  name: string;
  timezone: string;
  workingDays: number[];
  holidays: string[];
}

export async function getOrganization(ctx: AppContext): Promise<Organization> {
  const org = await findOrganization(ctx.db);
  return { name: org.name, timezone: org.timezone, workingDays: org.working_days, holidays: [...org.holidays].sort() };
}

/**
 * The organisation's defaults: the time zone schedules fall back to, the working days
 * and holidays that `business_days` delays skip.
 */
export async function updateOrganization(ctx: AppContext, patch: Partial<Organization>): Promise<Organization> {
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

export async function addHolidays(ctx: AppContext, dates: string[]): Promise<string[]> {
  const org = await getOrganization(ctx);
  return (await updateOrganization(ctx, { holidays: [...org.holidays, ...dates] })).holidays;
}

export async function removeHoliday(ctx: AppContext, date: string): Promise<string[]> {
  const org = await getOrganization(ctx);
  return (await updateOrganization(ctx, { holidays: org.holidays.filter((d) => d !== date) })).holidays;
}
