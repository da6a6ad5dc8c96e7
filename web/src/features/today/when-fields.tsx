import { useId } from 'react';
import { Input } from '@/components/ui/input.tsx';
import { cn } from '@/lib/cn.ts';
import { sentence } from '@/lib/text.ts';

export interface WhenValue {
  /** `YYYY-MM-DD`, a date input's value. */
  date: string;
  /** `HH:MM`. */
  time: string;
}

/**
 * A date and a time on the rep's wall clock (native inputs: the browser's own picker,
 * keyboard and screen-reader support). The caller turns them into an instant in `zone`.
 */
export function WhenFields({ legend, value, onChange, zone, error, minDate, className }: {
  legend: string;
  value: WhenValue;
  onChange: (value: WhenValue) => void;
  zone: string;
  error?: string;
  minDate?: string;
  className?: string;
}) {
  const id = useId();
  return (
    <fieldset className={cn('flex flex-col gap-1.5', className)} aria-describedby={`${id}-hint`}>
      <legend className="mb-1.5 text-[13px] font-medium text-zinc-800">{legend}</legend>
      <div className="flex gap-2">
        <label className="sr-only" htmlFor={`${id}-date`}>{legend}: date</label>
        <Input
          id={`${id}-date`}
          type="date"
          value={value.date}
          min={minDate}
          aria-invalid={Boolean(error)}
          onChange={(e) => onChange({ ...value, date: e.target.value })}
          className="flex-1"
        />
        <label className="sr-only" htmlFor={`${id}-time`}>{legend}: time</label>
        <Input
          id={`${id}-time`}
          type="time"
          value={value.time}
          aria-invalid={Boolean(error)}
          onChange={(e) => onChange({ ...value, time: e.target.value })}
          className="w-36"
        />
      </div>
      {error
        ? <p id={`${id}-hint`} role="alert" className="text-[13px] text-red-700">{sentence(error)}</p>
        : <p id={`${id}-hint`} className="text-[12px] text-zinc-600">Your time ({zone}).</p>}
    </fieldset>
  );
}
