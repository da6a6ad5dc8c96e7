import { findEmailByToken } from '../store/email.repository.ts';
import type { AppContext } from './context.ts';
import { recordLoneIntent } from './lone-intents.ts';
import { applySignal, applySignalInTransaction } from './signals.ts';

/**
 * Privacy proxies (Apple Mail Privacy Protection, Gmail's image proxy) and security
 * scanners fetch pixels and links on delivery: such opens are recorded but flagged.
 */
const MACHINE_AGENTS = /(GoogleImageProxy|YahooMailProxy|Outlook-iOS|Barracuda|Proofpoint|Mimecast|SafeLinks|bot|crawler|spider|preview|curl|python-requests|Go-http-client|HeadlessChrome)/i;
const MACHINE_WINDOW_MS = 10_000;

const isMachineAgent = (userAgent: string | undefined) => !userAgent || MACHINE_AGENTS.test(userAgent);

export function isMachineOpen(userAgent: string | undefined, sentAt: Date | null, at: Date): boolean {
  if (isMachineAgent(userAgent)) return true;
  return sentAt !== null && at.getTime() - sentAt.getTime() < MACHINE_WINDOW_MS;
}

export async function recordOpen(ctx: AppContext, token: string, userAgent: string | undefined): Promise<void> {
  const now = ctx.clock.now();
  const data = { userAgent: userAgent ?? null };
  // One statement for an open that fires nothing (isMachineOpen's rule, in SQL)...
  const recorded = await recordLoneIntent(ctx, {
    id: ctx.newId(), type: 'opened', target: { token }, machine: isMachineAgent(userAgent),
    machineIfSentAfter: new Date(now.getTime() - MACHINE_WINDOW_MS), visibleTo: null, data: JSON.stringify(data), at: now,
  });
  if (recorded) return;
  // ...and the full path for an unknown token or an open that may fire a boost.
  const email = await findEmailByToken(ctx.db, token);
  if (!email) return;
  await applySignalInTransaction(ctx, null, {
    type: 'opened', messageId: email.message_id, machine: isMachineOpen(userAgent, email.sent_at, now), data, at: now,
  });
}

/** Records a click and returns the link that was sent, or null for an unknown token. */
export async function recordClick(ctx: AppContext, clickToken: string, userAgent: string | undefined): Promise<string | null> {
  const dot = clickToken.lastIndexOf('.');
  if (dot < 0) return null;
  const email = await findEmailByToken(ctx.db, clickToken.slice(0, dot));
  const index = Number(clickToken.slice(dot + 1));
  const url = email && Number.isInteger(index) ? (email.links as unknown as string[])[index] : undefined;
  if (!email || !url) return null;
  const now = ctx.clock.now();
  await applySignal(ctx, null, {
    type: 'clicked', messageId: email.message_id, machine: isMachineOpen(userAgent, email.sent_at, now),
    data: { url, userAgent: userAgent ?? null },
  });
  return url;
}

export async function unsubscribeTarget(ctx: AppContext, token: string): Promise<{ email: string } | null> {
  const email = await findEmailByToken(ctx.db, token);
  return email ? { email: email.to_email } : null;
}

export async function unsubscribe(ctx: AppContext, token: string): Promise<boolean> {
  const email = await findEmailByToken(ctx.db, token);
  if (!email) return false;
  await applySignal(ctx, null, { type: 'unsubscribed', messageId: email.message_id });
  return true;
}
