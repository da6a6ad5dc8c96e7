import { Tabs as T } from 'radix-ui';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/**
 * Tabs (Radix: arrow keys move between them). Keep the value in the URL's search params
 * so a tab can be linked to: `<Tabs value={tab} onValueChange={…} items={[{ value, label }]}>`.
 */
export function Tabs<V extends string>({ value, onValueChange, items, label, className, listClassName, children }: {
  value: V;
  onValueChange: (value: V) => void;
  items: ReadonlyArray<{ value: V; label: ReactNode }>;
  /** What the tabs choose between, read out by screen readers. */
  label: string;
  className?: string;
  /** The tab row's own classes (its side padding, to line up with the page). */
  listClassName?: string;
  children: ReactNode;
}) {
  return (
    <T.Root value={value} onValueChange={(v) => onValueChange(v as V)} className={cn('flex flex-col', className)}>
      <T.List aria-label={label} className={cn('flex gap-4 border-b border-zinc-200 px-6', listClassName)}>
        {items.map((item) => (
          <T.Trigger
            key={item.value}
            value={item.value}
            className={cn(
              '-mb-px inline-flex h-9 items-center gap-1.5 border-b-2 border-transparent text-[13px] font-medium text-zinc-600',
              'hover:text-zinc-900 data-[state=active]:border-accent-600 data-[state=active]:text-zinc-900',
            )}
          >
            {item.label}
          </T.Trigger>
        ))}
      </T.List>
      {children}
    </T.Root>
  );
}

export const TabPanel = ({ value, children, className }: { value: string; children: ReactNode; className?: string }) => (
  <T.Content value={value} className={cn('focus-visible:outline-none', className)}>{children}</T.Content>
);
