import { z } from 'zod';
import { id, uuidInput } from './common.ts';
import { ENROLL_REFUSALS } from './enums.ts';

/**
 * `POST /api/leads/import` (API.md "Leads"): a CSV file with a header row. Columns are
 * found by name (common spellings accepted, see src/domain/lead-columns.ts); other
 * columns become custom fields. `?dryRun=true` answers the same report and writes nothing.
 */

/** What one import takes: beyond these the file is refused (413) or the row rejected. */
export const LEAD_IMPORT_LIMITS = {
  /** The file, in bytes (50 MB: about 250,000 rows of eight ordinary columns). */
  bytes: 50 * 1024 * 1024,
  /** Data rows, the header not counted. */
  rows: 100_000,
  /** Columns of the header. */
  columns: 200,
  /** A custom field's value, in characters. */
  customValue: 2_000,
  /** Rows shown in a dry run's preview. */
  preview: 10,
} as const;

/** The lead fields a column can fill; `fullName` splits into first and last name. */
export const LEAD_IMPORT_FIELDS = ['email', 'firstName', 'lastName', 'fullName', 'company', 'phone', 'status', 'timezone', 'ownerEmail'] as const;
export type LeadImportField = (typeof LEAD_IMPORT_FIELDS)[number];

/** `true`/`false` (or 1/0) in a query string. */
const queryBoolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const leadImportQuery = z.object({
  /** Enrols the leads the import created into this cadence (through the enrolment rules). */
  cadenceId: uuidInput('a cadence').optional(),
  /** Reads and checks the file, writes nothing: the report, the column mapping and a preview. */
  dryRun: queryBoolean.optional(),
});
export type LeadImportQuery = z.infer<typeof leadImportQuery>;

/** How one column of the header is read. */
export const importColumn = z.object({
  /** 1-based, as a spreadsheet counts. */
  index: z.number().int(),
  header: z.string(),
  /** `field`: a lead field; `custom`: a custom field named `key`; `ignored`: a column without a header. */
  kind: z.enum(['field', 'custom', 'ignored']),
  field: z.enum(LEAD_IMPORT_FIELDS).optional(),
  key: z.string().optional(),
});
export type ImportColumn = z.infer<typeof importColumn>;

/** A row as it would be stored (dry run). */
export const importPreviewRow = z.object({
  line: z.number().int(),
  /** `create`: a new lead; `update`: the lead with this email (case-insensitive) gets the row's values. */
  action: z.enum(['create', 'update']),
  email: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  company: z.string().optional(),
  phone: z.string().optional(),
  status: z.string().optional(),
  timezone: z.string().optional(),
  ownerEmail: z.string().optional(),
  fields: z.record(z.string(), z.string()),
});
export type ImportPreviewRow = z.infer<typeof importPreviewRow>;

/** A row that was not imported: its first line in the file (the header is line 1) and why. */
export const importRejection = z.object({
  line: z.number().int(),
  reason: z.string(),
  email: z.string().optional(),
});
export type ImportRejection = z.infer<typeof importRejection>;

export const leadImportReport = z.object({
  /** Leads created (a dry run: that would be). */
  created: z.number().int(),
  /** Existing leads (same email, case-insensitive) updated with the row's non-empty values. */
  updated: z.number().int(),
  rejected: z.array(importRejection),
  /** With `?cadenceId=`: how many of the file's leads (created or updated) were enrolled, pending ones included (a dry run: would be). */
  enrolled: z.number().int().optional(),
  /** With `?cadenceId=`: the enrolment's details. */
  enrollment: z.object({
    cadenceId: id,
    /** Enrolled but held back (the cadence's throttle, or a cadence not active yet): they start later. */
    pending: z.number().int(),
    /** The file's leads the enrolment rules refused (suppressed, already active, the re-enrolment policy), each with its line. */
    refused: z.array(z.object({ line: z.number().int(), email: z.string(), reason: z.enum(ENROLL_REFUSALS) })),
  }).optional(),
  dryRun: z.boolean(),
  /** Data rows read (the header not counted). */
  rows: z.number().int(),
  /** How each column of the header is read. */
  columns: z.array(importColumn),
  /** A dry run: the first rows as they would be stored. */
  preview: z.array(importPreviewRow).optional(),
});
export type LeadImportReport = z.infer<typeof leadImportReport>;
