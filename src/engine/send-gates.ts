import type { ClaimedEmail, SendGate } from '../store/email.repository.ts';

/**
 * How long a run trusts its own count of a sender's usage before counting again:
 * other workers' sends for the same sender are seen within this time.
 */
const USAGE_FRESH_MS = 1000;

/** Per capped sender: how much of each rolling cap this run has used, its own sends included. */
export type Usage = Map<string, { day: number; hour: number; countedAt: number }>;

/** An email cleared to go, and the SMTP server it goes to (null: the dev outbox). */
export interface Ready {
  email: ClaimedEmail;
  smtpUrl: string | null;
}

/** The senders whose usage this run counted a moment ago (at `clockMs`), which the database need not count again. */
export function freshlyCounted(usage: Usage, clockMs: number): string[] {
  return [...usage].filter(([, u]) => clockMs - u.countedAt < USAGE_FRESH_MS).map(([sender]) => sender);
}

/**
 * Sorts a claimed batch by what the gates say at the moment of sending: blocked (by
 * reason: the enrolment ended, an unsubscribe, a bounce), deferred (over a sender's
 * cap), or ready. Counts what it admits in `usage`.
 */
export function sortByGates(
  claimed: ClaimedEmail[],
  gates: Map<string, SendGate>,
  usage: Usage,
  defaultSmtpUrl: string | null,
  clockMs: number,
): { blocked: Map<string, string[]>; deferred: string[]; ready: Ready[] } {
  const blocked = new Map<string, string[]>();
  const deferred: string[] = [];
  const ready: Ready[] = [];
  for (const email of claimed) {
    const gate = gates.get(email.id);
    if (!gate) continue;
    // A paused enrolment's email waits, as a capped one does; it goes once the enrolment runs again.
    if (gate.block === 'paused') {
      deferred.push(email.id);
      continue;
    }
    if (gate.block) {
      blocked.set(gate.block, [...(blocked.get(gate.block) ?? []), email.id]);
      continue;
    }
    const smtpUrl = gate.smtpUrl ?? defaultSmtpUrl;
    if (email.sender_id === null || (gate.dailyLimit === null && gate.hourlyLimit === null)) {
      ready.push({ email, smtpUrl });
      continue;
    }
    // What this run admitted may not be `sending` yet, so the database alone would
    // undercount it: take the larger of the two.
    const ours = usage.get(email.sender_id);
    const used = {
      day: Math.max(gate.usage?.day ?? 0, ours?.day ?? 0),
      hour: Math.max(gate.usage?.hour ?? 0, ours?.hour ?? 0),
    };
    if ((gate.dailyLimit !== null && used.day >= gate.dailyLimit) || (gate.hourlyLimit !== null && used.hour >= gate.hourlyLimit)) {
      deferred.push(email.id);
      continue;
    }
    const countedAt = gate.usage || !ours ? clockMs : ours.countedAt;
    usage.set(email.sender_id, { day: used.day + 1, hour: used.hour + 1, countedAt });
    ready.push({ email, smtpUrl });
  }
  return { blocked, deferred, ready };
}

/** The emails cleared to go whose mailbox spaces its sends (min interval): their slots are taken in the database. */
export function spacedEmails(ready: Ready[], gates: Map<string, SendGate>): string[] {
  return ready.filter((r) => r.email.sender_id !== null && (gates.get(r.email.id)?.minIntervalSeconds ?? 0) > 0).map((r) => r.email.id);
}

/** Emails held back for their mailbox's spacing leave this run's count of its caps. */
export function uncount(usage: Usage, held: ClaimedEmail[]): void {
  for (const email of held) {
    const used = email.sender_id === null ? undefined : usage.get(email.sender_id);
    if (!used) continue;
    used.day = Math.max(0, used.day - 1);
    used.hour = Math.max(0, used.hour - 1);
  }
}
