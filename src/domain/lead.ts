import { z } from 'zod';
import { moduleSchema, timeZoneSchema } from './cadence.ts';

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const leadInputSchema = z.object({
  email: z.email({ message: 'expected an email address' }).max(320),
  firstName: optionalText(200),
  lastName: optionalText(200),
  company: optionalText(300),
  phone: optionalText(50),
  status: z.string().trim().min(1).max(100).optional(),
  ownerId: z.uuid({ message: 'expected a user id' }).optional(),
  timezone: timeZoneSchema.nullable().optional(),
  module: moduleSchema.optional(),
  fields: z.record(z.string().max(100), z.unknown()).optional(),
});
export type LeadInput = z.infer<typeof leadInputSchema>;

export const leadPatchSchema = leadInputSchema.partial().extend({
  ownerId: z.uuid({ message: 'expected a user id' }).nullable().optional(),
});
export type LeadPatch = z.infer<typeof leadPatchSchema>;

/** Turns zod issues into the `{path, message}` details every 4xx carries. */
export function issuesToDetails(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix = '') {
  return issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)', message: i.message }));
}
