import type { ComponentProps, ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/**
 * A native select styled like Input (the platform's own picker: keyboard, screen readers
 * and phones all know it): `<Select {...p} {...register('unit')}><option …/></Select>`.
 */
export function Select({ className, ...props }: ComponentProps<'select'>) {
  return (
    <select
      className={cn(
        'h-8 rounded-md bg-white pr-7 pl-2 text-sm text-zinc-900 shadow-xs ring-1 ring-inset ring-zinc-300',
        'focus-visible:outline-2 focus-visible:outline-offset-0 disabled:bg-zinc-100 disabled:text-zinc-500 aria-invalid:ring-red-500',
        className,
      )}
      {...props}
    />
  );
}

/** A checkbox with its label beside it, and a line of explanation under it when given. */
export function Checkbox({ label, hint, className, ...props }: Omit<ComponentProps<'input'>, 'type'> & { label: ReactNode; hint?: ReactNode }) {
  return (
    <label className={cn('flex items-start gap-2 text-[13px] text-zinc-800', props.disabled && 'text-zinc-500', className)}>
      <input type="checkbox" className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-accent-600" {...props} />
      <span className="flex flex-col">
        <span>{label}</span>
        {hint && <span className="text-zinc-600">{hint}</span>}
      </span>
    </label>
  );
}
