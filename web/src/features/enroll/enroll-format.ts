import { ENROLL_REFUSAL_MESSAGES, WAITING_FOR_MESSAGES } from '@contract/cadences.ts';
import type { EnrollRefusal, WaitingFor } from '@contract/enums.ts';

/** "1 lead", "1,204 leads". */
export const leads = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'lead' : 'leads'}`;

/** A refusal or a hold, in words (the contract's own sentences). */
export const refusalText = (reason: string) => ENROLL_REFUSAL_MESSAGES[reason as EnrollRefusal] ?? reason.replace(/_/g, ' ');
export const heldText = (reason: string) => WAITING_FOR_MESSAGES[reason as WaitingFor] ?? reason.replace(/_/g, ' ');

/** How a lead in a list is called: its name, else its email, else its id. */
export const who = (l: { name: string | null; email: string | null; recordId: string }) => l.name ?? l.email ?? l.recordId;

/** Totals per reason, largest first: `[["unsubscribed", 12], ["bounced", 3]]`. */
export const byCount = (counts: Record<string, number>) => Object.entries(counts).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
