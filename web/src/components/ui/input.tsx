import type { ComponentProps } from 'react';
import { cn } from '@/lib/cn.ts';

const BASE =
  'w-full rounded-md bg-white px-2.5 text-sm text-zinc-900 shadow-xs ring-1 ring-inset ring-zinc-300 ' +
  'placeholder:text-zinc-400 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:ring-accent-500 ' +
  'disabled:bg-zinc-100 disabled:text-zinc-500 aria-invalid:ring-red-500 aria-invalid:focus-visible:outline-red-500';

export function Input({ className, ...props }: ComponentProps<'input'>) {
  return <input className={cn(BASE, 'h-8', className)} {...props} />;
}

export function Textarea({ className, ...props }: ComponentProps<'textarea'>) {
  return <textarea className={cn(BASE, 'min-h-20 py-1.5 leading-relaxed', className)} {...props} />;
}
