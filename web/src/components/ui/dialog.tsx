import { Dialog as D } from 'radix-ui';
import { X } from 'lucide-react';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/**
 * A modal dialog (Radix: focus trapped, Escape closes, focus returns to the trigger).
 * `<Dialog open onOpenChange title="…" description="…">…<DialogFooter>…</DialogFooter></Dialog>`
 */
export function Dialog({ open, onOpenChange, title, description, children, className, trigger }: {
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  title: ReactNode;
  /** Read out with the title; visually hidden when `hideDescription`. */
  description?: ReactNode;
  children?: ReactNode;
  className?: string;
  trigger?: ReactNode;
}) {
  return (
    <D.Root open={open} onOpenChange={onOpenChange}>
      {trigger && <D.Trigger asChild>{trigger}</D.Trigger>}
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-40 bg-zinc-950/25 animate-fade-in" />
        <D.Content
          className={cn(
            'fixed top-1/2 left-1/2 z-50 flex max-h-[85vh] w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 flex-col',
            'rounded-lg bg-white shadow-xl ring-1 ring-zinc-200 animate-pop-in focus:outline-none',
            className,
          )}
          {...(description ? {} : { 'aria-describedby': undefined })}
          // Radix closes on Escape only when it counts this dialog as the top layer; its count can keep a
          // layer that is gone (seen after a deleted row's menu and confirm), and then Escape did nothing.
          // A layer on top (a menu, a select) handles its own Escape first and prevents it.
          onKeyDown={(event) => {
            if (event.key !== 'Escape' || event.defaultPrevented) return;
            event.preventDefault();
            onOpenChange?.(false);
          }}
        >
          <div className="flex items-start justify-between gap-4 border-b border-zinc-200 px-4 py-3">
            <div className="flex flex-col gap-0.5">
              <D.Title className="text-[15px] font-semibold text-zinc-900">{title}</D.Title>
              {description && <D.Description className="text-[13px] text-zinc-600">{description}</D.Description>}
            </div>
            <D.Close className="-mr-1 rounded p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900" aria-label="Close">
              <X className="size-4" aria-hidden="true" />
            </D.Close>
          </div>
          <div className="overflow-y-auto px-4 py-3">{children}</div>
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

export function DialogFooter({ children }: { children: ReactNode }) {
  return <div className="-mx-4 -mb-3 mt-3 flex justify-end gap-2 border-t border-zinc-200 px-4 py-3">{children}</div>;
}

export const DialogClose = D.Close;
