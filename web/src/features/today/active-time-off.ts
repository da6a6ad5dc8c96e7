import type { TimeOff } from '@contract/users.ts';

/** Running at `now`: the time off the rep is on (the one ending last, if several overlap). */
export const activeTimeOff = (items: readonly TimeOff[] | undefined, now: Date): TimeOff | undefined =>
  items?.filter((t) => new Date(t.from) <= now && new Date(t.to) > now).sort((a, b) => b.to.localeCompare(a.to))[0];
