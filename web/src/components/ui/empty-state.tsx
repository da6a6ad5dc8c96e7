import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/** What a list or page shows with nothing in it: say why, and what to do next. */
export function EmptyState({ icon: Icon, title, children, action, className }: {
  icon?: LucideIcon;
  title: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  className?: string;
}) {
  return (
    <div className={cn('flex flex-col items-center justify-center gap-2 px-6 py-16 text-center', className)}>
      {Icon && <span className="mb-1 grid size-10 place-items-center rounded-full bg-zinc-100 text-zinc-500"><Icon className="size-5" aria-hidden="true" /></span>}
      <h2 className="text-[15px] font-semibold text-zinc-900">{title}</h2>
      {children && <div className="max-w-md text-sm text-zinc-600">{children}</div>}
      {action && <div className="mt-2">{action}</div>}
    </div>
  );
}
