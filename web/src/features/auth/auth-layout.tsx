import type { ReactNode } from 'react';

/** The signed-out frame: the product's name and one small card, centred. */
export function AuthLayout({ title, description, children, footer }: { title: string; description?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <main id="main" className="flex min-h-screen flex-col items-center justify-center gap-6 px-4 py-12">
      <div className="flex items-center gap-2">
        <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-accent-600 text-sm font-bold text-white">C</span>
        <span className="text-base font-semibold tracking-tight text-zinc-900">Cadenza</span>
      </div>
      <div className="w-full max-w-sm rounded-lg bg-white p-6 shadow-sm ring-1 ring-zinc-200">
        <h1 className="text-lg font-semibold text-zinc-900">{title}</h1>
        {description && <p className="mt-1 text-[13px] text-zinc-600">{description}</p>}
        <div className="mt-5">{children}</div>
      </div>
      {footer && <div className="text-[13px] text-zinc-600">{footer}</div>}
    </main>
  );
}
