import { useId, type ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';
import { sentence } from '@/lib/text.ts';

/** What a Field hands its control: wire these onto the input for labels and errors to be read out. */
export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

interface FieldProps {
  label: ReactNode;
  /** The field's error (client validation or the server's, see lib/forms.ts). */
  error?: string;
  hint?: ReactNode;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}

/**
 * A label, a control and its error, linked for assistive tech:
 * `<Field label="Email" error={errors.email?.message}>{(p) => <Input {...p} {...register('email')} />}</Field>`
 */
export function Field({ label, error, hint, className, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={cn('flex flex-col gap-1.5', className)}>
      <label htmlFor={id} className="text-[13px] font-medium text-zinc-800">{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {error && <p id={errorId} className="text-[13px] text-red-700">{sentence(error)}</p>}
      {hint && !error && <p id={hintId} className="text-[13px] text-zinc-500">{hint}</p>}
    </div>
  );
}
