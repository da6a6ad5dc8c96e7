import { AlarmClock } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button.tsx';
import { Kbd } from '@/components/ui/kbd.tsx';
import { Popover } from '@/components/ui/popover.tsx';
import { dateTime } from './format.ts';
import { WhenFields, type WhenValue } from './when-fields.tsx';
import { fromDateTimeInputs, snoozePresets, toDateTimeInputs } from './zoned-time.ts';

/**
 * Snooze: a few presets in the rep's zone (1 h, tomorrow 9:00, next Monday 9:00) and a
 * custom date and time. `z` opens it (the caller holds `open`).
 */
export function SnoozeMenu({ open, onOpenChange, zone, now, onSnooze, busy, trigger }: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  zone: string;
  now: Date;
  onSnooze: (until: Date) => void;
  busy?: boolean;
  trigger?: ReactNode;
}) {
  const presets = snoozePresets(now, zone);
  const [custom, setCustom] = useState<WhenValue>(() => ({ ...toDateTimeInputs(presets[1]!.until, zone) }));
  const [error, setError] = useState<string>();
  const submitCustom = () => {
    const until = fromDateTimeInputs(custom.date, custom.time, zone);
    if (!until) return setError('pick a date and a time');
    if (until <= now) return setError('pick a time in the future');
    setError(undefined);
    onSnooze(until);
  };
  const today = toDateTimeInputs(now, zone).date;
  return (
    <Popover
      open={open}
      onOpenChange={onOpenChange}
      label="Snooze until"
      align="end"
      side="top"
      className="w-80"
      trigger={trigger ?? (
        <Button variant="secondary" aria-keyshortcuts="z">
          <AlarmClock aria-hidden="true" />Snooze<Kbd className="ml-1">Z</Kbd>
        </Button>
      )}
    >
      <p className="mb-2 text-[13px] font-medium text-zinc-900">Snooze until</p>
      <ul className="-mx-1 mb-3 flex flex-col">
        {presets.map((p) => (
          <li key={p.id}>
            <button
              type="button"
              disabled={busy}
              onClick={() => onSnooze(p.until)}
              className="flex w-full items-center justify-between gap-3 rounded px-2 py-1.5 text-left text-sm hover:bg-zinc-100 focus-visible:bg-zinc-100 disabled:text-zinc-400"
            >
              <span className="text-zinc-900">{p.label}</span>
              <span className="text-[12px] text-zinc-600 tabular-nums">{dateTime(p.until, zone, now)}</span>
            </button>
          </li>
        ))}
      </ul>
      <form
        className="flex flex-col gap-2 border-t border-zinc-200 pt-3"
        onSubmit={(e) => { e.preventDefault(); submitCustom(); }}
      >
        <WhenFields legend="Custom" value={custom} onChange={setCustom} zone={zone} error={error} minDate={today} />
        <div className="flex justify-end">
          <Button type="submit" variant="primary" size="sm" loading={busy}>Snooze</Button>
        </div>
      </form>
    </Popover>
  );
}

