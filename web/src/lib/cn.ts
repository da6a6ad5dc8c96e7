import { clsx, type ClassValue } from 'clsx';
import { twMerge } from 'tailwind-merge';

/** Class names joined, later Tailwind utilities winning over earlier ones (`cn('px-2', 'px-4')` → `px-4`). */
export const cn = (...inputs: ClassValue[]) => twMerge(clsx(inputs));
