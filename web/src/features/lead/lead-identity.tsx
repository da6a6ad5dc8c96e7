import { Clock, Mail, Phone, UserRound } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { Lead } from '@contract/leads.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { useMe } from '@/data/session/index.ts';
import { useOrganization, useUser } from '@/data/leads/index.ts';
import { cn } from '@/lib/cn.ts';
import { leadName, localTime, statusTone } from './lead-format.ts';

/** The current time, moved on each minute (a lead's local time stays right while the page is open). */
function useMinute(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000 - (Date.now() % 60_000));
    return () => clearInterval(timer);
  }, [now]);
  return now;
}

/** A job title if the lead has one among its custom fields. */
export function leadTitle(lead: Lead): string | null {
  for (const key of ['title', 'jobTitle', 'job_title', 'Title', 'Job Title']) {
    const v = lead.fields[key];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return null;
}

/** The zone the lead's day runs in: its own, else the workspace's. */
export function useLeadZone(lead: Lead): { zone: string | null; own: boolean } {
  const org = useOrganization();
  return lead.timezone ? { zone: lead.timezone, own: true } : { zone: org.data?.timezone ?? null, own: false };
}

function LocalTime({ lead }: { lead: Lead }) {
  const now = useMinute();
  const { zone, own } = useLeadZone(lead);
  if (!zone) return null;
  const { time, offset } = localTime(zone, now);
  return (
    <span className="inline-flex items-center gap-1" title={own ? `The lead's zone: ${zone}` : `The lead has no zone; the workspace's: ${zone}`}>
      <Clock className="size-3.5 shrink-0 text-zinc-500" aria-hidden="true" />
      <span><span className="font-medium text-zinc-800 tabular-nums">{time}</span> local · {zone.replace(/_/g, ' ')} ({offset}){own ? '' : ', workspace zone'}</span>
    </span>
  );
}

function Owner({ ownerId }: { ownerId: string | null }) {
  const me = useMe();
  const mine = ownerId === me.id;
  const other = useUser(ownerId, !mine && me.role === 'admin');
  const name = ownerId === null ? 'No owner' : mine ? 'You' : other.data?.name ?? 'Another rep';
  return (
    <span className="inline-flex items-center gap-1">
      <UserRound className="size-3.5 text-zinc-500" aria-hidden="true" />
      <span>Owner: <span className="text-zinc-800">{name}</span></span>
    </span>
  );
}

/** Flags that change what Cadenza may do for the lead. */
function Flags({ lead }: { lead: Lead }) {
  return (
    <>
      {lead.unsubscribed && <Badge tone="danger">Unsubscribed</Badge>}
      {lead.bounced && <Badge tone="danger">Email bounced</Badge>}
      {lead.converted && <Badge tone="success">Converted</Badge>}
    </>
  );
}

/**
 * Who the lead is and how to reach them: name, company and title, email, phone, their
 * local time, owner and status. `as` sets the heading level (h1 on the page, h2 in a panel).
 */
export function LeadIdentity({ lead, as: Heading = 'h1', compact = false }: { lead: Lead; as?: 'h1' | 'h2'; compact?: boolean }) {
  const title = leadTitle(lead);
  const org = [title, lead.company].filter(Boolean).join(' at ');
  return (
    <div className="flex min-w-0 flex-col gap-1.5">
      <div className="flex flex-wrap items-center gap-2">
        <Heading className={cn('truncate font-semibold text-zinc-900', compact ? 'text-[15px]' : 'text-lg')}>{leadName(lead)}</Heading>
        <Badge tone={statusTone(lead.status)}>{lead.status}</Badge>
        <Flags lead={lead} />
      </div>
      {org && <p className="text-[13px] text-zinc-700">{org}</p>}
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-[13px] text-zinc-600">
        <a href={`mailto:${lead.email}`} className="inline-flex max-w-full min-w-0 items-center gap-1 text-accent-700 hover:underline">
          <Mail className="size-3.5 shrink-0" aria-hidden="true" /><span className="truncate">{lead.email}</span>
        </a>
        {lead.phone && (
          <a href={`tel:${lead.phone.replace(/[^\d+]/g, '')}`} className="inline-flex items-center gap-1 text-accent-700 hover:underline">
            <Phone className="size-3.5" aria-hidden="true" />{lead.phone}
          </a>
        )}
        <LocalTime lead={lead} />
        {!compact && <Owner ownerId={lead.ownerId} />}
      </div>
    </div>
  );
}
