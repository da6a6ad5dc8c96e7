import { ToggleGroup as T } from 'radix-ui';
import { cn } from '@/lib/cn.ts';

/**
 * One choice among a few, shown as joined buttons (a sort order, a view):
 * `<ToggleGroup label="Sort" value={sort} onChange={setSort} options={[{ value: 'due', label: 'Due time' }]} />`.
 * Arrow keys move between the options (Radix roving focus).
 */
export function ToggleGroup<V extends string>({ label, value, onChange, options, className }: {
  label: string;
  value: V;
  onChange: (value: V) => void;
  options: ReadonlyArray<{ value: V; label: string; title?: string }>;
  className?: string;
}) {
  return (
    <T.Root
      type="single"
      aria-label={label}
      value={value}
      onValueChange={(v) => v && onChange(v as V)}
      className={cn('inline-flex h-7 items-center rounded-md bg-zinc-100 p-0.5 ring-1 ring-inset ring-zinc-200', className)}
    >
      {options.map((o) => (
        <T.Item
          key={o.value}
          value={o.value}
          title={o.title}
          className={cn(
            'h-6 rounded px-2 text-[13px] font-medium text-zinc-600 hover:text-zinc-900',
            'data-[state=on]:bg-white data-[state=on]:text-zinc-900 data-[state=on]:shadow-xs data-[state=on]:ring-1 data-[state=on]:ring-zinc-200',
          )}
        >
          {o.label}
        </T.Item>
      ))}
    </T.Root>
  );
}
