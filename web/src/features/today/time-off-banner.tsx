import { PauseCircle } from 'lucide-react';
import type { TimeOff } from '@contract/users.ts';
import { Button } from '@/components/ui/button.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useEndTimeOff } from '@/data/time-off/index.ts';
import { dateTime, relativeTime } from './format.ts';

/** On Today while the rep's time off runs: why the queue is quiet, and the way back. */
export function TimeOffBanner({ away, userId, zone, now, onManage }: { away: TimeOff; userId: string; zone: string; now: Date; onManage: () => void }) {
  const end = useEndTimeOff(userId);
  const until = new Date(away.to);
  return (
    <div role="status" className="flex flex-wrap items-center gap-3 border-b border-amber-200 bg-amber-50 px-6 py-2.5 text-[13px] text-amber-900">
      <PauseCircle className="size-4 shrink-0" aria-hidden="true" />
      <p className="min-w-0 flex-1">
        <span className="font-medium">Your cadences are paused until {dateTime(until, zone, now)}</span> ({relativeTime(until, now)}
        {away.note ? `, ${away.note}` : ''}). Nothing of yours is sent or due until then.
      </p>
      <Button size="sm" variant="ghost" className="text-amber-900 hover:bg-amber-100" onClick={onManage}>Manage</Button>
      <Button
        size="sm"
        variant="secondary"
        loading={end.isPending}
        onClick={() => end.mutate(away.id, { onSuccess: () => toast({ title: 'Welcome back: your cadences run again', description: 'What waited for you is due now.' }) })}
      >
        End time off now
      </Button>
    </div>
  );
}
