import { Tooltip as T } from 'radix-ui';
import type { ReactNode } from 'react';
import { Kbd } from './kbd.tsx';

/** One provider at the root (app/providers.tsx) sets the delays for all tooltips. */
export const TooltipProvider = ({ children }: { children: ReactNode }) => (
  <T.Provider delayDuration={400} skipDelayDuration={200}>{children}</T.Provider>
);

/** A hint on hover and keyboard focus, with the key that does the same: `<Tooltip content="Skip" keys={['s']}>`. */
export function Tooltip({ content, keys, children, side = 'top' }: { content: ReactNode; keys?: string[]; children: ReactNode; side?: 'top' | 'bottom' | 'left' | 'right' }) {
  return (
    <T.Root>
      <T.Trigger asChild>{children}</T.Trigger>
      <T.Portal>
        <T.Content side={side} sideOffset={6} className="z-50 flex items-center gap-2 rounded-md bg-zinc-900 px-2 py-1 text-[12px] text-white shadow-md animate-fade-in">
          {content}
          {keys && <span className="flex gap-0.5">{keys.map((k) => <Kbd key={k} className="border-zinc-600 bg-zinc-800 text-zinc-200">{k}</Kbd>)}</span>}
        </T.Content>
      </T.Portal>
    </T.Root>
  );
}
