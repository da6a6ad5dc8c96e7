import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/** A key as printed on the keyboard: `<Kbd>?</Kbd>`, `<Kbd>⌘</Kbd><Kbd>K</Kbd>`. */
export function Kbd({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <kbd
      className={cn(
        'inline-flex h-5 min-w-5 items-center justify-center rounded border border-zinc-300 border-b-2 bg-white px-1',
        'font-sans text-[11px] font-medium text-zinc-600',
        className,
      )}
    >
      {children}
    </kbd>
  );
}
