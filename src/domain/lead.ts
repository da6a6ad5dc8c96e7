import { z } from 'zod';
import { moduleSchema, timeZoneSchema } from './cadence.ts';

/** PostgreSQL text cannot hold NUL: refuse it as bad input, not fail on insert. */
const NO_NUL = { message: 'must not contain NUL characters' };
const text = (max: number) => z.string().trim().max(max).refine((s) => !s.includes('\u0000'), NO_NUL);
const optionalText = (max: number) => text(max).nullable().optional();

export const leadInputSchema = z.object({
  email: z.email({ message: 'expected an email address' }).max(320).refine((s) => !s.includes('\u0000'), NO_NUL),
  firstName: optionalText(200),
  lastName: optionalText(200),
  company: optionalText(300),
  phone: optionalText(50),
  status: text(100).pipe(z.string().min(1)).optional(),
  ownerId: z.uuid({ message: 'expected a user id' }).optional(),
  timezone: timeZoneSchema.nullable().optional(),
  module: moduleSchema.optional(),
  fields: z
    .record(z.string().max(100), z.unknown())
    .refine((f) => !JSON.stringify(f).includes('\\u0000'), NO_NUL)
    .optional(),
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
