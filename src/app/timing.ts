import type { CadenceDefinition } from '../domain/cadence.ts';
import type { PlanTiming } from '../domain/plan.ts';
import { resolveTimeZone } from '../domain/schedule.ts';
import type { OrgSettings } from '../store/execution.repository.ts';
import type { LeadWithOwner } from '../store/lead.repository.ts';

/**
 * The zone and calendar a record's steps are timed in: the cadence's own zone if it
 * names one, else the lead's, the owner's, the organisation's (SPEC §2).
 */
export function timingFor(def: CadenceDefinition, who: LeadWithOwner | undefined, org: OrgSettings): PlanTiming {
  return {
    zone: resolveTimeZone([def.schedule.timezone, who?.lead.timezone, who?.owner?.timezone, org.timezone]),
    calendar: { workingDays: org.workingDays, holidays: org.holidays },
  };
}
