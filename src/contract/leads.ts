import { z } from 'zod';
import { id, instant, timeZone, uuidInput } from './common.ts';
import { ENROLLMENT_STATUSES, MODULES } from './enums.ts';

/** Leads and contacts (API.md "Resources" and "Leads"). */

/** PostgreSQL text cannot hold NUL: refused as bad input rather than failing on insert. */
const NO_NUL = { message: 'must not contain NUL characters' };
const text = (max: number) => z.string().trim().max(max).refine((s) => !s.includes('\u0000'), NO_NUL);
const optionalText = (max: number) => text(max).nullish();

/** `POST /api/leads` and each record of `POST /api/leads/bulk`. */
export const leadInput = z.object({
  email: z.email({ message: 'expected an email address' }).max(320).refine((s) => !s.includes('\u0000'), NO_NUL),
  firstName: optionalText(200),
  lastName: optionalText(200),
  company: optionalText(300),
  phone: optionalText(50),
  status: text(100).pipe(z.string().min(1)).optional(),
  ownerId: uuidInput('a user').optional(),
  timezone: timeZone.nullish(),
  module: z.enum(MODULES).optional(),
  /** Custom fields, merged into the stored ones by a PATCH. */
  fields: z
    .record(z.string().max(100), z.unknown())
    .refine((f) => !JSON.stringify(f).includes('\\u0000'), NO_NUL)
    .optional(),
});
export type LeadInput = z.infer<typeof leadInput>;

/**
 * `PATCH /api/leads/:id`: any field; `ownerId: null` gives the lead away. The lead as
 * answered is accepted unchanged: its read-only fields (id, flags, times) are ignored.
 */
export const leadPatch = leadInput.partial().extend({ ownerId: uuidInput('a user').nullable().optional() });
export type LeadPatch = z.infer<typeof leadPatch>;

export const lead = z.object({
  id,
  module: z.enum(MODULES),
  email: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  company: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.string(),
  ownerId: id.nullable(),
  timezone: z.string().nullable(),
  fields: z.record(z.string(), z.unknown()),
  unsubscribed: z.boolean(),
  bounced: z.boolean(),
  converted: z.boolean(),
  createdAt: instant,
  updatedAt: instant,
});
export type Lead = z.infer<typeof lead>;

/** Each record is checked on its own (a bad one rejects only itself), so records are any JSON here. */
export const bulkLeadsBody = z.object({ records: z.array(z.unknown()).min(1).max(10_000) });
export const bulkLeadsResult = z.object({
  /** Ids in input order. */
  created: z.array(id),
  rejected: z.array(z.object({ index: z.number().int(), reason: z.string() })),
});
export type BulkLeadsResult = z.infer<typeof bulkLeadsResult>;

/** An empty query parameter (`?status=`) means "not given". */
const queryText = (max: number) => text(max).optional().transform((s) => s || undefined);

/**
 * `GET /api/leads`: every filter optional, all given ones must hold. `q` is a substring of
 * "first last", the email or the company, any case; `cadenceId` picks leads with an
 * enrolment in that cadence; `cursor` is the `nextCursor` of the page before.
 */
export const leadListQuery = z.object({
  q: queryText(200),
  status: queryText(100),
  ownerId: uuidInput('a user').optional(),
  cadenceId: uuidInput('a cadence').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type LeadListQuery = z.infer<typeof leadListQuery>;

/** A lead's enrolments as the list shows them: live ones first, then the latest, at most 5. */
export const leadEnrollmentSummary = z.object({
  id,
  cadenceId: id,
  cadenceName: z.string(),
  status: z.enum(ENROLLMENT_STATUSES),
});
export type LeadEnrollmentSummary = z.infer<typeof leadEnrollmentSummary>;
export const leadListItem = lead.extend({
  enrollments: z.array(leadEnrollmentSummary),
  /** How many enrolments the lead has in all (the list shows up to 5). */
  enrollmentCount: z.number().int(),
});
export type LeadListItem = z.infer<typeof leadListItem>;
export const leadList = z.object({ items: z.array(leadListItem), nextCursor: z.string().optional() });
export type LeadList = z.infer<typeof leadList>;
