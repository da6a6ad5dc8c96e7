import { Toggle } from 'radix-ui';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/** A filter chip that is on or off (a toggle button, `aria-pressed`): `<ToggleChip pressed onPressedChange>Opens</ToggleChip>`. */
export function ToggleChip({ pressed, onPressedChange, children, className }: {
  pressed: boolean;
  onPressedChange: (pressed: boolean) => void;
  children: ReactNode;
  className?: string;
}) {
  return (
    <Toggle.Root
      pressed={pressed}
      onPressedChange={onPressedChange}
      className={cn(
        'inline-flex h-6 items-center gap-1 rounded-full px-2.5 text-[12px] font-medium ring-1 ring-inset transition-colors select-none',
        'bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-50 hover:text-zinc-900',
        'data-[state=on]:bg-accent-50 data-[state=on]:text-accent-700 data-[state=on]:ring-accent-500/50',
        className,
      )}
    >
      {children}
    </Toggle.Root>
  );
}
