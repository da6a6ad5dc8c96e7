import type { CadenceDefinition } from '../domain/cadence.ts';
import { filterMatches } from '../domain/rules.ts';
import { runningCadenceDefinitions } from '../store/cadence.repository.ts';
import type { Trx } from '../store/database.ts';
import { findLeadsOfModuleAfter } from '../store/lead.repository.ts';
import type { LeadRow } from '../store/schema.ts';
import type { AppContext } from './context.ts';
import { enrollIn } from './enroll.ts';
import { toLead } from './views/leads.ts';

interface AutoCadence {
  id: string;
  version: number;
  definition: CadenceDefinition;
}

async function autoEnrollCadences(trx: Trx): Promise<AutoCadence[]> {
  return (await runningCadenceDefinitions(trx)).filter((c) => c.status === 'active' && c.definition.autoEnroll !== null);
}

export async function hasAutoEnrollCadences(trx: Trx): Promise<boolean> {
  return (await autoEnrollCadences(trx)).length > 0;
}

/**
 * Records that come to match an active cadence's saved filter are enrolled. Refusals
 * (already enrolled, unsubscribed, re-enrolment policy) are the rules working, not errors.
 */
export async function autoEnroll(ctx: AppContext, trx: Trx, leads: LeadRow[]): Promise<number> {
  if (leads.length === 0) return 0;
  const cadences = await autoEnrollCadences(trx);
  let enrolled = 0;
  for (const c of cadences) {
    const matching = leads
      .filter((l) => l.module === c.definition.module && filterMatches(toLead(l), c.definition.autoEnroll!.filter))
      .map((l) => l.id);
    if (matching.length === 0) continue;
    enrolled += (await enrollIn(ctx, trx, null, c.id, c.definition, c.version, matching)).enrolled.length;
  }
  return enrolled;
}

const SCAN_CHUNK = 5000;

/** On activation with `existingRecords`: the records that match already are enrolled too. */
export async function autoEnrollExisting(ctx: AppContext, cadence: AutoCadence): Promise<number> {
  const filter = cadence.definition.autoEnroll;
  if (!filter?.existingRecords) return 0;
  let enrolled = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const chunk = await findLeadsOfModuleAfter(ctx.db, cadence.definition.module, after, SCAN_CHUNK);
    if (chunk.length === 0) return enrolled;
    after = chunk[chunk.length - 1].id;
    const matching = chunk.filter((l) => filterMatches(toLead(l), filter.filter)).map((l) => l.id);
    if (matching.length > 0) {
      enrolled += await ctx.db.transaction().execute(async (trx) =>
        (await enrollIn(ctx, trx, null, cadence.id, cadence.definition, cadence.version, matching)).enrolled.length);
    }
  }
}
