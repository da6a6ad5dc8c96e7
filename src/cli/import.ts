import { createReadStream, statSync } from 'node:fs';
import type { AppContext } from '../app/context.ts';
import { CsvFileError, importLeads } from '../app/lead-import.ts';
import type { LeadImportReport } from '../contract/lead-import.ts';
import { isUuid } from '../domain/ids.ts';
import type { Database } from '../store/database.ts';
import { findOldestAdmin, findUser } from '../store/user.repository.ts';

export const IMPORT_USAGE = 'usage: cadenza import FILE.csv [--cadence ID] [--dry-run]';

/** Exit codes of `cadenza import`: 0 every row imported, 1 nothing imported (the message says why), 2 a usage error, 3 imported with rejected rows. */
export const IMPORT_EXIT = { ok: 0, failed: 1, usage: 2, someRejected: 3 } as const;

export class UsageError extends Error {}

export interface ImportArgs {
  file: string;
  cadenceId?: string;
  dryRun: boolean;
}

/** `FILE.csv [--cadence ID] [--dry-run]`, checked before any database is opened. */
export function importArgs(args: string[]): ImportArgs {
  let file: string | undefined;
  let cadenceId: string | undefined;
  let dryRun = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--cadence' || arg.startsWith('--cadence=')) {
      cadenceId = arg.includes('=') ? arg.slice('--cadence='.length) : args[++i];
      if (!cadenceId) throw new UsageError('--cadence needs a cadence id');
      if (!isUuid(cadenceId)) throw new Error(`--cadence ${cadenceId}: not a cadence id (a UUID, as GET /api/cadences lists them)`);
    } else if (arg === '--dry-run') {
      dryRun = true;
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}`);
    } else if (file) {
      throw new UsageError(`one file at a time (got ${file} and ${arg})`);
    } else {
      file = arg;
    }
  }
  if (!file) throw new UsageError('which file? name a CSV file');
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new Error(`no file ${file}`);
  }
  if (!isFile) throw new Error(`${file} is not a file`);
  return { file, cadenceId, dryRun };
}

/** Imports the file as the first admin and prints the report; answers the exit code. */
export async function runImport(ctx: AppContext, database: Database, args: ImportArgs): Promise<number> {
  const admin = await findOldestAdmin(database.db);
  const user = admin ? await findUser(database.db, admin.id) : undefined;
  if (!user) throw new Error('no admin yet: an import is done as the first admin (start with CADENZA_ADMIN_TOKEN set, or run cadenza demo)');
  let report: LeadImportReport;
  try {
    report = await importLeads(ctx, { id: user.id, role: 'admin', name: user.name, email: user.email }, createReadStream(args.file), args);
  } catch (e) {
    if (e instanceof CsvFileError) throw new Error(`${args.file}: ${e.message}`);
    throw e;
  }
  for (const line of describeReport(args.file, report)) console.log(line);
  return report.rejected.length > 0 ? IMPORT_EXIT.someRejected : IMPORT_EXIT.ok;
}

const n = (x: number) => x.toLocaleString('en-US');

export function describeReport(file: string, r: LeadImportReport): string[] {
  const lines = [
    `${r.dryRun ? 'dry run (nothing written): ' : ''}${file}: ${n(r.rows)} rows, ${n(r.created)} ${r.dryRun ? 'to create' : 'created'}, ` +
      `${n(r.updated)} ${r.dryRun ? 'to update' : 'updated'}, ${n(r.rejected.length)} rejected`,
    `columns: ${r.columns.map((c) => `${c.header || `(column ${c.index})`} → ${c.kind === 'field' ? c.field : c.kind === 'custom' ? `custom field "${c.key}"` : 'ignored'}`).join(', ')}`,
  ];
  if (r.enrollment) {
    const e = r.enrollment;
    lines.push(`enrolled ${n(r.enrolled ?? 0)} in cadence ${e.cadenceId}${e.pending ? ` (${n(e.pending)} of them waiting: throttle or a cadence not active yet)` : ''}` +
      `${e.refused.length ? `; ${n(e.refused.length)} refused:` : ''}`);
    for (const x of e.refused) lines.push(`  line ${x.line}: ${x.email}: ${x.reason.replace(/_/g, ' ')}`);
  }
  if (r.rejected.length) {
    lines.push('rejected rows:');
    for (const x of r.rejected) lines.push(`  line ${x.line}: ${x.reason}`);
  }
  return lines;
}
