import { DropdownMenu as M } from 'radix-ui';
import type { ComponentProps, ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/**
 * A menu on a button (Radix: arrow keys, typeahead, Escape).
 * `<DropdownMenu trigger={<Button>…</Button>}><MenuItem onSelect={…}>Sign out</MenuItem></DropdownMenu>`
 */
export function DropdownMenu({ trigger, children, align = 'end', label }: { trigger: ReactNode; children: ReactNode; align?: 'start' | 'end'; label?: string }) {
  return (
    <M.Root>
      <M.Trigger asChild>{trigger}</M.Trigger>
      <M.Portal>
        <M.Content
          align={align}
          sideOffset={6}
          aria-label={label}
          className="z-50 min-w-48 rounded-md bg-white p-1 text-sm shadow-lg ring-1 ring-zinc-200 animate-fade-in"
        >
          {children}
        </M.Content>
      </M.Portal>
    </M.Root>
  );
}

export function MenuItem({ className, ...props }: ComponentProps<typeof M.Item>) {
  return (
    <M.Item
      className={cn(
        'flex h-8 cursor-default items-center gap-2 rounded px-2 text-zinc-800 outline-none select-none',
        'data-highlighted:bg-zinc-100 data-highlighted:text-zinc-950 data-disabled:text-zinc-400 [&_svg]:size-4 [&_svg]:text-zinc-500',
        className,
      )}
      {...props}
    />
  );
}

export function MenuLabel({ children }: { children: ReactNode }) {
  return <M.Label className="px-2 py-1.5 text-[12px] text-zinc-500">{children}</M.Label>;
}

export function MenuSeparator() {
  return <M.Separator className="my-1 h-px bg-zinc-200" />;
}
