import { Moon } from 'lucide-react';
import { Tooltip } from '@/components/ui/tooltip.tsx';
import { cn } from '@/lib/cn.ts';
import { clockTime } from './format.ts';
import { isOfficeHours, knownZone, OFFICE_HOURS, wallTime, zoneCity } from './zoned-time.ts';

/**
 * The time where the lead is (their zone, else the workspace's), with a hint when it
 * is outside office hours there: a call at 7:00 their time reaches nobody.
 */
export function LeadClock({ zone, fallbackZone, now, className }: { zone: string | null; fallbackZone: string; now: Date; className?: string }) {
  const own = knownZone(zone);
  const where = own ?? fallbackZone;
  const time = clockTime(now, where);
  const off = !isOfficeHours(wallTime(now, where));
  const place = own ? zoneCity(own) : 'the workspace’s zone (the lead has none)';
  const text = `${time} in ${place}${off ? `: outside ${OFFICE_HOURS.start}:00–${OFFICE_HOURS.end}:00 there` : ''}`;
  return (
    <Tooltip content={text}>
      <span className={cn('inline-flex items-center gap-1 rounded tabular-nums', off ? 'text-amber-800' : 'text-zinc-700', className)}>
        <span aria-hidden="true">{time}</span>
        {off && <Moon className="size-3.5" aria-hidden="true" />}
        {!own && <span aria-hidden="true" className="text-zinc-500">*</span>}
        <span className="sr-only">{text}</span>
      </span>
    </Tooltip>
  );
}
