import { Toast as T } from 'radix-ui';
import { X } from 'lucide-react';
import { useSyncExternalStore, type ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/**
 * Short confirmations ("Password changed") and failures that have no field to sit at.
 * Call `toast({ title, description?, tone? })` from anywhere (a mutation's onSuccess);
 * <Toaster /> at the root shows them (Radix: announced politely, F8 focuses the region).
 */
export interface ToastMessage {
  id: number;
  title: ReactNode;
  description?: ReactNode;
  tone?: 'neutral' | 'error';
}

let nextId = 1;
let toasts: ToastMessage[] = [];
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function toast(message: Omit<ToastMessage, 'id'>): void {
  toasts = [...toasts.slice(-3), { ...message, id: nextId++ }];
  emit();
}

function dismiss(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export function Toaster() {
  const items = useSyncExternalStore(subscribe, () => toasts, () => toasts);
  return (
    <T.Provider duration={5000}>
      {items.map((t) => (
        <T.Root
          key={t.id}
          type={t.tone === 'error' ? 'foreground' : 'background'}
          onOpenChange={(open) => !open && dismiss(t.id)}
          className={cn(
            'flex items-start gap-3 rounded-md bg-white px-3 py-2.5 shadow-lg ring-1 animate-fade-in',
            t.tone === 'error' ? 'ring-red-200' : 'ring-zinc-200',
          )}
        >
          <div className="flex flex-1 flex-col gap-0.5">
            <T.Title className={cn('text-sm font-medium', t.tone === 'error' ? 'text-red-800' : 'text-zinc-900')}>{t.title}</T.Title>
            {t.description && <T.Description className="text-[13px] text-zinc-600">{t.description}</T.Description>}
          </div>
          <T.Close className="rounded p-0.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900" aria-label="Dismiss">
            <X className="size-4" aria-hidden="true" />
          </T.Close>
        </T.Root>
      ))}
      <T.Viewport className="fixed right-4 bottom-4 z-[60] flex w-80 flex-col gap-2 outline-none" />
    </T.Provider>
  );
}
