import type { CadenceSummary, PreflightResult } from '@contract/cadences.ts';

/** A cadence as `GET /api/cadences` lists it; counts and rates overridable. */
export function summary(over: Partial<CadenceSummary> & Pick<CadenceSummary, 'id' | 'name'>): CadenceSummary {
  return {
    module: 'lead', status: 'active', version: 1, createdAt: '2026-10-01T09:00:00.000Z', updatedAt: '2026-11-20T09:00:00.000Z',
    stepCount: 3,
    enrollments: { pending: 0, active: 0, paused: 0, completed: 0, exited: 0, failed: 0 },
    started: 0, replied: 0, meetings: 0, replyRate: null, meetingRate: null,
    ...over,
  };
}

export const OUTBOUND = summary({
  id: 'c1', name: 'Outbound Q4', status: 'active',
  enrollments: { pending: 2, active: 120, paused: 4, completed: 80, exited: 30, failed: 1 },
  started: 235, replied: 47, meetings: 12, replyRate: 0.2, meetingRate: 12 / 235,
});
export const DRAFT = summary({ id: 'c2', name: 'Inbound follow-up', status: 'draft', stepCount: 1, updatedAt: '2026-11-27T09:00:00.000Z' });
export const PAUSED = summary({ id: 'c3', name: 'Webinar invite', status: 'paused', enrollments: { pending: 0, active: 10, paused: 0, completed: 5, exited: 0, failed: 0 }, started: 15 });

/** A preflight answer for `c1`: two start now, one held by the throttle, two refused. */
export const PREFLIGHT: PreflightResult = {
  cadence: { id: 'c1', name: 'Outbound Q4', status: 'active' },
  counts: { requested: 5, enrolled: 2, held: 1, refused: 2 },
  refusedByReason: { unsubscribed: 1, already_enrolled: 1 },
  heldByReason: { throttle: 1 },
  enrolled: [
    { recordId: 'l1', name: 'Ada Lovelace', email: 'ada@analytical.example' },
    { recordId: 'l2', name: 'Charles Babbage', email: 'charles@engines.example' },
  ],
  held: [{ recordId: 'l3', name: 'Grace Hopper', email: 'grace@navy.example', waitingFor: 'throttle', message: "Held back by the cadence's daily limit per rep; starts in order as the limit allows" }],
  refused: [
    { recordId: 'l4', name: 'Alan Turing', email: 'alan@bletchley.example', reason: 'unsubscribed', message: 'Unsubscribed' },
    { recordId: 'l5', name: null, email: 'kathleen@booth.example', reason: 'already_enrolled', message: 'Already in this cadence' },
  ],
  truncated: false,
};
