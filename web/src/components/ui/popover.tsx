import { Popover as P } from 'radix-ui';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/**
 * A small panel on a button (Radix: focus moves in, Escape closes, focus returns to the
 * trigger). Controlled or not: `<Popover trigger={<Button>Snooze</Button>} label="Snooze">…</Popover>`.
 */
export function Popover({ trigger, children, open, onOpenChange, label, align = 'start', side = 'bottom', className }: {
  trigger: ReactNode;
  children: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** The panel's accessible name (it is a dialog to assistive tech). */
  label: string;
  align?: 'start' | 'center' | 'end';
  side?: 'top' | 'bottom' | 'left' | 'right';
  className?: string;
}) {
  return (
    <P.Root open={open} onOpenChange={onOpenChange}>
      <P.Trigger asChild>{trigger}</P.Trigger>
      <P.Portal>
        <P.Content
          aria-label={label}
          align={align}
          side={side}
          sideOffset={6}
          collisionPadding={8}
          className={cn('z-50 w-72 rounded-md bg-white p-3 text-sm shadow-lg ring-1 ring-zinc-200 animate-fade-in focus:outline-none', className)}
        >
          {children}
        </P.Content>
      </P.Portal>
    </P.Root>
  );
}

export const PopoverClose = P.Close;
