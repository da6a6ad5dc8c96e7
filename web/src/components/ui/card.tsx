import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/** A white panel with a heading: settings sections, side panels. */
export function Card({ title, description, children, className, actions }: {
  title?: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
  actions?: ReactNode;
}) {
  return (
    <section className={cn('rounded-lg bg-white shadow-xs ring-1 ring-zinc-200', className)}>
      {(title || actions) && (
        <header className="flex items-start justify-between gap-4 border-b border-zinc-200 px-4 py-3">
          <div>
            {title && <h2 className="text-sm font-semibold text-zinc-900">{title}</h2>}
            {description && <p className="mt-0.5 text-[13px] text-zinc-600">{description}</p>}
          </div>
          {actions}
        </header>
      )}
      <div className="p-4">{children}</div>
    </section>
  );
}
