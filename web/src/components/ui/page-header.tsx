import type { ReactNode } from 'react';

/** The top of a page: its title (the page's h1), a line of context, and its actions. */
export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="flex min-h-14 flex-wrap items-center justify-between gap-x-4 gap-y-2 border-b border-zinc-200 bg-white px-4 py-2.5 md:px-6">
      <div className="min-w-0">
        <h1 className="truncate text-[15px] font-semibold text-zinc-900">{title}</h1>
        {description && <p className="truncate text-[13px] text-zinc-600">{description}</p>}
      </div>
      {actions && <div className="flex shrink-0 items-center gap-2">{actions}</div>}
    </header>
  );
}
