import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Toaster } from '@/components/ui/toast.tsx';
import { TooltipProvider } from '@/components/ui/tooltip.tsx';
import { ShortcutsProvider } from './shortcuts/shortcuts.tsx';

/** What every page sits in: server state, tooltips, shortcuts (and `?`), toasts. Tests render with it too. */
export function Providers({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <TooltipProvider>
        <ShortcutsProvider>
          {children}
          <Toaster />
        </ShortcutsProvider>
      </TooltipProvider>
    </QueryClientProvider>
  );
}
