import { CircleAlert, Info } from 'lucide-react';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

/** An inline message above a form or a section; `error` is announced at once (role=alert). */
export function Alert({ tone = 'error', title, children, className }: { tone?: 'error' | 'info'; title?: ReactNode; children?: ReactNode; className?: string }) {
  const Icon = tone === 'error' ? CircleAlert : Info;
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={cn(
        'flex gap-2 rounded-md px-3 py-2 text-[13px] ring-1 ring-inset',
        tone === 'error' ? 'bg-red-50 text-red-800 ring-red-200' : 'bg-accent-50 text-accent-700 ring-accent-100',
        className,
      )}
    >
      <Icon className="mt-px size-4 shrink-0" aria-hidden="true" />
      <div className="flex flex-col gap-0.5">
        {title && <p className="font-medium">{title}</p>}
        {children && <div>{children}</div>}
      </div>
    </div>
  );
}
