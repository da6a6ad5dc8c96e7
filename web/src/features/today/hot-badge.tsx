import { Flame } from 'lucide-react';
import type { HotReason } from '@contract/enums.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Tooltip } from '@/components/ui/tooltip.tsx';
import { dateTime, relativeTime } from './format.ts';

const REASONS: Record<HotReason, { label: string; why: string }> = {
  replied: { label: 'Replied', why: 'Replied to an email' },
  clicked: { label: 'Clicked', why: 'Clicked a link in an email' },
  boost: { label: 'Boost', why: 'A boost fired on their opens or clicks' },
};

/** Why a lead is hot, and when: the queue puts these first. */
export function hotReasonText(reason: HotReason, at: string | undefined, now: Date, zone: string): string {
  const when = at ? `${relativeTime(new Date(at), now)} (${dateTime(new Date(at), zone, now)})` : 'in the last 3 days';
  return `${REASONS[reason].why} ${when}: hot leads come first.`;
}

/** The badge; `spelled` also writes the why and when beside it (focus mode has the room). */
export function HotBadge({ reason, at, now, zone, spelled = false }: { reason: HotReason; at?: string; now: Date; zone: string; spelled?: boolean }) {
  const text = hotReasonText(reason, at, now, zone);
  if (spelled) {
    return (
      <span className="inline-flex items-center gap-1.5">
        <Badge tone="warning" className="gap-0.5"><Flame className="size-3" aria-hidden="true" />{REASONS[reason].label}</Badge>
        <span className="text-amber-800">{REASONS[reason].why} {at ? relativeTime(new Date(at), now) : 'in the last 3 days'}</span>
      </span>
    );
  }
  return (
    <Tooltip content={text}>
      {/* The reason is read out with the row (no tab stop per row); the tooltip is for the mouse. */}
      <span className="inline-flex rounded">
        <Badge tone="warning" className="gap-0.5">
          <Flame className="size-3" aria-hidden="true" />
          {REASONS[reason].label}
          <span className="sr-only">: {text}</span>
        </Badge>
      </span>
    </Tooltip>
  );
}
