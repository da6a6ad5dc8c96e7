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

export function HotBadge({ reason, at, now, zone }: { reason: HotReason; at?: string; now: Date; zone: string }) {
  const text = hotReasonText(reason, at, now, zone);
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
