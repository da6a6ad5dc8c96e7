import { z } from 'zod';
import { timeZone } from './common.ts';

/** The organisation's defaults and the holiday calendar that business days skip. */

export const isoDate = z.iso.date({ message: 'expected a date as YYYY-MM-DD' });
const weekday = z.number().int().min(1).max(7);

export const organization = z.object({
  name: z.string(),
  /** Where schedules fall back to when neither the lead nor its owner has a zone. */
  timezone: z.string(),
  /** ISO weekdays (Monday = 1). */
  workingDays: z.array(weekday),
  holidays: z.array(isoDate),
});
export type Organization = z.infer<typeof organization>;

/** What GET answers, PATCH accepts unchanged. */
export const organizationPatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  timezone: timeZone.optional(),
  workingDays: z.array(weekday).max(7).optional(),
  holidays: z.array(isoDate).max(1000).optional(),
});
export type OrganizationPatch = z.infer<typeof organizationPatch>;

export const holidaysInput = z.object({ dates: z.array(isoDate).min(1).max(1000) });
export const holidayParams = z.object({ date: isoDate });
export const holidayList = z.object({ items: z.array(isoDate) });
