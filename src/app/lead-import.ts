import { once } from 'node:events';
import { parse, type CsvError } from 'csv-parse';
import { z } from 'zod';
import { isKnownTimeZone } from '../contract/common.ts';
import { leadInput } from '../contract/leads.ts';
import {
  LEAD_IMPORT_LIMITS, type ImportColumn, type ImportPreviewRow, type ImportRejection, type LeadImportField, type LeadImportReport,
} from '../contract/lead-import.ts';
import { mapHeader, splitFullName } from '../domain/lead-columns.ts';
import { findCadence } from '../store/cadence.repository.ts';
import {
  IMPORT_BATCH, existingLeadEmails, upsertLeads, usersByEmail, type ImportedLead,
} from '../store/lead-import.repository.ts';
import type { Trx } from '../store/database.ts';
import type { LeadRow } from '../store/schema.ts';
import { assertAdmin, type Actor } from './actor.ts';
import { autoEnroll, hasAutoEnrollCadences } from './auto-enroll.ts';
import type { AppContext } from './context.ts';
import { CsvFileError, checkedCsvBytes } from './csv-bytes.ts';
import { enroll, enrollWithin, type EnrollResult } from './enroll.ts';
import { invalid, invalidState, notFound } from './errors.ts';
import { exitOnCriteriaOf } from './exits.ts';

export { CsvFileError } from './csv-bytes.ts';

export interface ImportOptions {
  cadenceId?: string;
  dryRun?: boolean;
  /** The most bytes read (tests and the CLI may lower it); LEAD_IMPORT_LIMITS.bytes by default. */
  maxBytes?: number;
}

/** A row that passed its own checks, waiting for its owner and its write. */
interface Candidate {
  line: number;
  lower: string;
  lead: Omit<ImportedLead, 'id' | 'ownerId'>;
  ownerEmail?: string;
}

/** Enrolments go through the enrolment use case in requests of this size (its route's own limit). */
const ENROLL_CHUNK = 10_000;

/**
 * `POST /api/leads/import` and `cadenza import`: reads a CSV file as it streams in
 * (see csv-bytes.ts for what is refused about the file itself), checks each row on its
 * own (a bad row is rejected with its line and why, the others go on), then creates or
 * updates the good rows by email in one transaction of set-based batches, and enrols
 * the leads it created or updated through the enrolment use case (its refusals and
 * throttle apply and are reported). A dry run writes nothing and adds a preview; with a
 * cadence, it rehearses the enrolment and reports it as the import would.
 */
export async function importLeads(
  ctx: AppContext,
  actor: Actor,
  source: AsyncIterable<Buffer | string>,
  opts: ImportOptions = {},
): Promise<LeadImportReport> {
  assertAdmin(actor);
  if (opts.cadenceId) await assertEnrollable(ctx, opts.cadenceId);
  const dryRun = opts.dryRun ?? false;
  const { columns, candidates, rejected, rows } = await readRows(source, opts.maxBytes ?? LEAD_IMPORT_LIMITS.bytes);

  const owners = await usersByEmail(ctx.db, [...new Set(candidates.flatMap((c) => (c.ownerEmail ? [c.ownerEmail.toLowerCase()] : [])))]);
  const ready: Array<{ line: number; lead: ImportedLead }> = [];
  for (const c of candidates) {
    const owner = c.ownerEmail ? owners.get(c.ownerEmail.toLowerCase()) : null;
    if (owner === undefined) {
      rejected.push({ line: c.line, email: c.lead.email, reason: `owner "${c.ownerEmail}" is not a user of this workspace (owners are named by their email)` });
      continue;
    }
    if (owner?.deactivated) {
      rejected.push({ line: c.line, email: c.lead.email, reason: `owner "${c.ownerEmail}" is deactivated: reactivate them or name another owner` });
      continue;
    }
    const ownerId = owner?.id ?? null;
    ready.push({ line: c.line, lead: { ...c.lead, id: ctx.newId(), ownerId } });
  }
  rejected.sort((a, b) => a.line - b.line);
  const report: LeadImportReport = { created: 0, updated: 0, rejected, dryRun, rows, columns };

  if (dryRun) {
    const existing = new Set<string>();
    for (let i = 0; i < ready.length; i += IMPORT_BATCH) {
      for (const e of await existingLeadEmails(ctx.db, ready.slice(i, i + IMPORT_BATCH).map((r) => r.lead.email.toLowerCase()))) existing.add(e);
    }
    report.updated = ready.filter((r) => existing.has(r.lead.email.toLowerCase())).length;
    report.created = ready.length - report.updated;
    report.preview = ready.slice(0, LEAD_IMPORT_LIMITS.preview).map((r) => previewOf(r.line, r.lead, existing, owners));
    if (opts.cadenceId) await rehearseEnrollment(ctx, actor, opts.cadenceId, ready, report);
    return report;
  }

  const now = ctx.clock.now();
  const imported: Imported[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    const autoCadences = await hasAutoEnrollCadences(trx);
    for (let i = 0; i < ready.length; i += IMPORT_BATCH) {
      const { written, updated } = await writeBatch(trx, ready.slice(i, i + IMPORT_BATCH), actor, now, imported);
      report.created += written.length - updated.length;
      report.updated += updated.length;
      // As a PATCH does: new values may meet a cadence's exit criteria, or its automatic enrolment filter.
      await exitOnCriteriaOf(trx, updated, now);
      if (autoCadences) await autoEnroll(ctx, trx, written);
    }
  });
  if (opts.cadenceId) {
    const enrollment = newEnrollmentReport(opts.cadenceId);
    for (let i = 0; i < imported.length; i += ENROLL_CHUNK) {
      const chunk = imported.slice(i, i + ENROLL_CHUNK);
      addEnrollment(enrollment, chunk, await enroll(ctx, actor, opts.cadenceId, chunk.map((c) => c.id)));
    }
    finishEnrollment(report, enrollment);
  }
  return report;
}

/** A lead the file created or updated, with its line for the report. */
interface Imported {
  id: string;
  line: number;
  email: string;
}

async function writeBatch(trx: Trx, batch: Array<{ line: number; lead: ImportedLead }>, actor: Actor, now: Date, imported: Imported[]) {
  const lineOf = new Map(batch.map((r) => [r.lead.email.toLowerCase(), r.line]));
  const written = await upsertLeads(trx, batch.map((r) => r.lead), actor.id, now);
  const updated: LeadRow[] = written.filter((row) => !row.inserted);
  for (const row of written) imported.push({ id: row.id, line: lineOf.get(row.email.toLowerCase()) ?? 0, email: row.email });
  return { written, updated };
}

/** Thrown to roll a dry run's rehearsal back. */
class Rehearsal extends Error {}

/**
 * A dry run with a cadence: writes the leads and enrols them as the import would, in
 * one transaction that is then rolled back, so the report says exactly who would be
 * enrolled, held back by the throttle, or refused (suppressed, already active, the
 * re-enrolment policy) and why. Nothing stays written.
 */
async function rehearseEnrollment(
  ctx: AppContext, actor: Actor, cadenceId: string, ready: Array<{ line: number; lead: ImportedLead }>, report: LeadImportReport,
): Promise<void> {
  const enrollment = newEnrollmentReport(cadenceId);
  const now = ctx.clock.now();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const imported: Imported[] = [];
      for (let i = 0; i < ready.length; i += IMPORT_BATCH) await writeBatch(trx, ready.slice(i, i + IMPORT_BATCH), actor, now, imported);
      for (let i = 0; i < imported.length; i += ENROLL_CHUNK) {
        const chunk = imported.slice(i, i + ENROLL_CHUNK);
        addEnrollment(enrollment, chunk, await enrollWithin(ctx, trx, actor, cadenceId, chunk.map((c) => c.id)));
      }
      throw new Rehearsal();
    });
  } catch (e) {
    if (!(e instanceof Rehearsal)) throw e;
  }
  finishEnrollment(report, enrollment);
}

/** Before the file is read: the cadence exists and may take enrolments. */
async function assertEnrollable(ctx: AppContext, cadenceId: string): Promise<void> {
  const cadence = await findCadence(ctx.db, cadenceId);
  if (!cadence) throw notFound('cadence', cadenceId);
  if (cadence.row.status === 'archived') throw invalidState(`cadence ${cadenceId} is archived: no lead can be enrolled in it`);
}

type EnrollmentReport = NonNullable<LeadImportReport['enrollment']> & { enrolled: number };

function newEnrollmentReport(cadenceId: string): EnrollmentReport {
  return { cadenceId, pending: 0, refused: [], enrolled: 0 };
}

function addEnrollment(report: EnrollmentReport, chunk: Imported[], result: EnrollResult): void {
  const byId = new Map(chunk.map((c) => [c.id, c]));
  report.enrolled += result.enrolled.length;
  report.pending += result.enrolled.filter((e) => e.status === 'pending').length;
  for (const r of result.rejected) {
    const lead = byId.get(r.recordId);
    report.refused.push({ line: lead?.line ?? 0, email: lead?.email ?? r.recordId, reason: r.reason });
  }
}

function finishEnrollment(report: LeadImportReport, { enrolled, ...enrollment }: EnrollmentReport): void {
  enrollment.refused.sort((a, b) => a.line - b.line);
  report.enrolled = enrolled;
  report.enrollment = enrollment;
}

function previewOf(line: number, lead: ImportedLead, existing: Set<string>, owners: Map<string, { id: string }>): ImportPreviewRow {
  const ownerEmail = lead.ownerId ? [...owners].find(([, o]) => o.id === lead.ownerId)?.[0] : undefined;
  const row: ImportPreviewRow = { line, action: existing.has(lead.email.toLowerCase()) ? 'update' : 'create', email: lead.email, fields: lead.fields };
  for (const key of ['firstName', 'lastName', 'company', 'phone', 'status', 'timezone'] as const) if (lead[key] !== null) row[key] = lead[key];
  if (ownerEmail) row.ownerEmail = ownerEmail;
  return row;
}

// ---- reading the file ----

interface ReadResult {
  columns: ImportColumn[];
  candidates: Candidate[];
  rejected: ImportRejection[];
  rows: number;
}

async function readRows(source: AsyncIterable<Buffer | string>, maxBytes: number): Promise<ReadResult> {
  const bytes = checkedCsvBytes(source, maxBytes);
  const head = await firstLine(bytes);
  if (head.text.trim() === '') {
    throw invalid('the file is empty: expected a header row naming the columns (email,firstName,lastName,…) and a row per lead');
  }
  const parser = parse({
    bom: true,
    delimiter: delimiterOf(head.text),
    record_delimiter: '\n',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
  });
  const skipped: Array<{ line: number; message: string; unclosed: boolean }> = [];
  parser.on('skip', (err: CsvError & { lines?: number }) =>
    skipped.push({ line: err.lines ?? 0, message: err.message, unclosed: err.code === 'CSV_QUOTE_NOT_CLOSED' }));
  const feeding = feed(parser, head.chunks, bytes);
  feeding.catch(() => {}); // awaited below; its failure also ends the parser, which the loop sees first

  const rejected: ImportRejection[] = [];
  const candidates: Candidate[] = [];
  const seen = new Map<string, number>();
  const zones = new Map<string, boolean>();
  let columns = null as ImportColumn[] | null; // (as: set in the listener below, which narrowing does not follow)
  let header: string[] = [];
  let prevEnd = 0;
  let prevEmpty = 0;
  let rows = 0;
  // Each record is handled as the parser emits it (a synchronous listener), not awaited one by one.
  const onRecord = ({ record, info }: { record: string[]; info: { lines: number; empty_lines: number } }): void => {
    const line = prevEnd + 1 + (info.empty_lines - prevEmpty);
    prevEnd = info.lines;
    prevEmpty = info.empty_lines;
    if (!columns) {
      header = record;
      if (header.length > LEAD_IMPORT_LIMITS.columns) throw invalid(`the header has ${header.length} columns; an import takes at most ${LEAD_IMPORT_LIMITS.columns}`);
      const mapped = mapHeader(header);
      if ('problem' in mapped) throw invalid(mapped.problem.message, [{ path: 'body', message: mapped.problem.message }]);
      columns = mapped.columns;
      return;
    }
    if (isBlankRecord(record)) return; // a row of empty cells (",,,"), as spreadsheets export
    rows++;
    if (rows > LEAD_IMPORT_LIMITS.rows) {
      throw new CsvFileError('too_large', `the file has more than ${LEAD_IMPORT_LIMITS.rows.toLocaleString('en-US')} rows, the most one import takes: split it into smaller files`);
    }
    const checked = checkRow(record, header.length, columns, line, zones);
    if ('reason' in checked) {
      rejected.push(checked);
      return;
    }
    const earlier = seen.get(checked.lower);
    if (earlier !== undefined) {
      rejected.push({ line, email: checked.lead.email, reason: `the same email as line ${earlier}: a lead appears once in a file` });
      return;
    }
    seen.set(checked.lower, line);
    candidates.push(checked);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('data', (r: Parameters<typeof onRecord>[0]) => {
        try {
          onRecord(r);
        } catch (e) {
          reject(e);
          parser.destroy();
        }
      });
      parser.once('end', resolve);
      parser.once('error', reject);
      parser.once('close', () => reject(new Error('the parser stopped'))); // after 'end' this is a no-op
    });
    await feeding;
    // A quote never closed swallows the rest of the file: that last record begins after the one before it.
    for (const s of skipped) if (s.unclosed) s.line = prevEnd + 1 + (parser.info.empty_lines - prevEmpty);
  } finally {
    parser.destroy();
  }
  if (!columns) throw invalid('the file has no header row: expected a first line naming the columns (email,firstName,lastName,…)');
  for (const s of skipped) {
    rejected.push({
      line: s.line,
      reason: s.unclosed
        ? 'a quoted value opens on this line and is never closed: everything after it was read as that one value (a stray " perhaps)'
        : `the row cannot be read as CSV: ${s.message}`,
    });
  }
  if (rows === 0 && skipped.length === 0) throw invalid('the file has a header but no rows: add a row per lead under the header');
  return { columns, candidates, rejected, rows: rows + skipped.length };
}

function isBlankRecord(record: string[]): boolean {
  for (const cell of record) if (cell.trim() !== '') return false;
  return true;
}

/** The first line that is not blank (to find the delimiter; empty: the file is), and the chunks read to find it. */
async function firstLine(bytes: AsyncGenerator<Buffer>): Promise<{ text: string; chunks: Buffer[] }> {
  const chunks: Buffer[] = [];
  let text = '';
  for (;;) {
    const next = await bytes.next();
    if (next.done) break;
    chunks.push(next.value);
    text = Buffer.concat(chunks).subarray(0, 64 * 1024).toString('utf8').replace(/^\ufeff/, '').replace(/^\s*\n/, '');
    if (text.includes('\n') || text.length >= 60 * 1024) break;
  }
  return { text: text.split('\n')[0], chunks };
}

/** Comma, semicolon (spreadsheets in many European locales) or tab: whichever the header holds most of, outside quotes. */
function delimiterOf(header: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c in counts) counts[c]++;
  }
  return Object.entries(counts).reduce((best, [d, n]) => (n > counts[best] ? d : best), ',');
}

/** Writes the chunks into the parser, waiting when it is full; a failure of the file ends the parser with it. */
async function feed(parser: ReturnType<typeof parse>, head: Buffer[], rest: AsyncGenerator<Buffer>): Promise<void> {
  try {
    for (const chunk of head) if (!parser.write(chunk)) await drained(parser);
    for await (const chunk of rest) if (!parser.write(chunk)) await drained(parser);
    parser.end();
  } catch (e) {
    parser.destroy(e as Error);
    throw e;
  }
}

async function drained(parser: ReturnType<typeof parse>): Promise<void> {
  if (parser.destroyed) throw new Error('the parser stopped');
  const done = new AbortController(); // whichever comes first, the other listener goes
  try {
    await Promise.race([once(parser, 'drain', { signal: done.signal }), once(parser, 'close', { signal: done.signal }).then(() => { throw new Error('the parser stopped'); })]);
  } finally {
    done.abort();
  }
}

/**
 * The longest value each lead field takes, read from the contract's schema (leadInput):
 * rows are checked by hand against it, since a zod parse and an Intl zone check per row
 * cost more than the rest of an import together.
 */
const MAX_LENGTH = Object.fromEntries((['email', 'firstName', 'lastName', 'company', 'phone', 'status'] as const).map((key) => [key, maxLengthOf(leadInput.shape[key])])) as
  Record<'email' | 'firstName' | 'lastName' | 'company' | 'phone' | 'status', number>;
/** The address the contract accepts (zod's email pattern, as `z.email()` checks it). */
const EMAIL = z.regexes.email;

function maxLengthOf(schema: unknown): number {
  let s = schema as { unwrap?: () => unknown; in?: unknown; maxLength?: number | null };
  for (let i = 0; i < 5 && s.maxLength == null; i++) s = (s.unwrap ? s.unwrap() : s.in) as typeof s;
  if (typeof s.maxLength !== 'number') throw new Error('leadInput: a text field without a maximum length');
  return s.maxLength;
}

/** One data row against the header: a candidate lead, or why it is rejected. `zones` caches zone checks across rows. */
function checkRow(record: string[], width: number, columns: ImportColumn[], line: number, zones: Map<string, boolean>): Candidate | ImportRejection {
  if (record.length > width) {
    return { line, reason: `${record.length} values where the header has ${width} columns (an unquoted comma in a value?)` };
  }
  if (record.length < width) {
    return { line, reason: `${record.length} values where the header has ${width} columns (a line broken in the middle of a row?)` };
  }
  const values: Partial<Record<LeadImportField, string>> = {};
  const fields: Record<string, string> = {};
  const headers: Partial<Record<LeadImportField, string>> = {};
  for (const column of columns) {
    const value = record[column.index - 1].trim();
    if (value === '' || column.kind === 'ignored') continue;
    if (column.kind === 'field') {
      values[column.field!] = value;
      headers[column.field!] = column.header;
    } else if (value.length > LEAD_IMPORT_LIMITS.customValue) {
      return { line, reason: `column "${column.header}" is longer than ${LEAD_IMPORT_LIMITS.customValue.toLocaleString('en-US')} characters` };
    } else fields[column.key!] = value;
  }
  if (values.fullName) {
    const { firstName, lastName } = splitFullName(values.fullName);
    Object.assign(values, { firstName, lastName });
    headers.firstName = headers.lastName = headers.fullName;
  }
  const email = values.email;
  if (!email) return { line, reason: 'no email: every row needs one' };
  const problems: string[] = [];
  const shown = (v: string) => (v.length > 40 ? `${v.slice(0, 40)}…` : v);
  const bad = (key: LeadImportField, why: string) => problems.push(`${headers[key] ?? key} "${shown(values[key] ?? '')}": ${why}`);
  if (email.length > MAX_LENGTH.email) bad('email', `longer than ${MAX_LENGTH.email} characters`);
  else if (!EMAIL.test(email)) bad('email', 'expected an email address');
  for (const key of ['firstName', 'lastName', 'company', 'phone', 'status'] as const) {
    const value = values[key];
    if (value !== undefined && value.length > MAX_LENGTH[key]) bad(key, `longer than ${MAX_LENGTH[key]} characters`);
  }
  if (values.timezone !== undefined) {
    let known = zones.get(values.timezone);
    if (known === undefined) zones.set(values.timezone, (known = isKnownTimeZone(values.timezone)));
    if (!known) bad('timezone', 'unknown time zone (expected an IANA name such as "Europe/Paris")');
  }
  if (values.ownerEmail !== undefined && values.ownerEmail.length > MAX_LENGTH.email) bad('ownerEmail', `longer than ${MAX_LENGTH.email} characters`);
  if (problems.length > 0) return { line, email, reason: problems.join('; ') };
  return {
    line,
    lower: email.toLowerCase(),
    ownerEmail: values.ownerEmail,
    lead: {
      email,
      firstName: values.firstName ?? null,
      lastName: values.lastName ?? null,
      company: values.company ?? null,
      phone: values.phone ?? null,
      status: values.status ?? null,
      timezone: values.timezone ?? null,
      fields,
    },
  };
}
