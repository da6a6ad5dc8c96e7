import type { MailboxOverview } from '@contract/mailbox-health.ts';
import { cn } from '@/lib/cn.ts';
import { formatRate, formatWhen } from './settings-format.ts';

/** A count against its cap, as a bar; amber from 80 %, red at the cap. */
export function CapMeter({ label, used, cap }: { label: string; used: number; cap: number }) {
  const share = cap > 0 ? Math.min(1, used / cap) : 0;
  const tone = share >= 1 ? 'bg-red-600' : share >= 0.8 ? 'bg-amber-500' : 'bg-accent-600';
  return (
    <div className="flex min-w-32 flex-col gap-1">
      <div className="flex justify-between gap-2 text-[13px]">
        <span className="text-zinc-600">{label}</span>
        <span className="font-medium text-zinc-900 tabular-nums">{used} / {cap}</span>
      </div>
      <div
        role="meter" aria-label={`${label}: ${used} of ${cap}`} aria-valuemin={0} aria-valuemax={cap} aria-valuenow={Math.min(used, cap)}
        className="h-1.5 overflow-hidden rounded-full bg-zinc-200"
      >
        <div className={cn('h-full rounded-full', tone)} style={{ width: `${share * 100}%` }} />
      </div>
    </div>
  );
}

/** A bounce rate above this is worth a look (mailbox providers act from a few percent). */
export const HIGH_BOUNCE_RATE = 0.05;

/** The health figures of one mailbox, in words. */
export function HealthDetails({ item }: { item: MailboxOverview }) {
  const { health, mailbox } = item;
  const bounceHigh = health.bounceRate !== null && health.bounceRate >= HIGH_BOUNCE_RATE;
  return (
    <div className="flex flex-col gap-3">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <CapMeter label="Sent, last 24 h" used={health.sentLastDay} cap={mailbox.dailyLimit} />
        <CapMeter label="Sent, last hour" used={health.sentLastHour} cap={mailbox.hourlyLimit} />
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-[13px]">
        <dt className="text-zinc-600">Waiting to send</dt>
        <dd className="text-zinc-900">{health.queued} queued{health.deferred > 0 && <>, <span className="font-medium text-amber-800">{health.deferred} held back</span> (a cap or a retry)</>}</dd>
        <dt className="text-zinc-600">Bounce rate, 30 days</dt>
        <dd className={cn(bounceHigh ? 'font-medium text-red-700' : 'text-zinc-900')}>
          {formatRate(health.bounceRate)}
          <span className="font-normal text-zinc-600"> ({health.bouncedLast30Days} of {health.sentLast30Days} sent)</span>
        </dd>
        {health.failedLastDay > 0 && (<><dt className="text-zinc-600">Failed, last 24 h</dt><dd className="font-medium text-red-700">{health.failedLastDay}</dd></>)}
        <dt className="text-zinc-600">Last SMTP error</dt>
        <dd>{health.lastSmtpError ? <ErrorLine {...health.lastSmtpError} /> : <span className="text-zinc-700">None</span>}</dd>
        <dt className="text-zinc-600">Replies (IMAP)</dt>
        <dd className="text-zinc-900">
          {!mailbox.imapUrl ? 'Not polled: no IMAP server set'
            : health.lastImapError ? <ErrorLine {...health.lastImapError} />
              : health.imapPolledAt ? `Last polled ${formatWhen(health.imapPolledAt)}` : 'Not polled yet'}
        </dd>
        {health.skippedInboundLast30Days > 0 && health.lastSkippedInbound && (
          <>
            <dt className="text-zinc-600">Unreadable mail, 30 days</dt>
            <dd className="text-zinc-900">
              {health.skippedInboundLast30Days} skipped; the last: <ErrorLine {...health.lastSkippedInbound} />
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

function ErrorLine({ message, at }: { message: string; at: string }) {
  return (
    <span className="text-red-700">
      <span className="break-words">{message}</span>
      <span className="text-zinc-600"> · {formatWhen(at)}</span>
    </span>
  );
}

const DELIVERY = {
  mailbox_smtp: 'Its own SMTP server',
  server_smtp: "The server's SMTP_URL",
  outbox: 'Dev outbox (nothing is sent)',
} as const;
export const deliveryLabel = (d: MailboxOverview['delivery']) => DELIVERY[d];
