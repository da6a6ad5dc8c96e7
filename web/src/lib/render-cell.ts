import type { ReactNode } from 'react';

/**
 * Calls a TanStack Table cell or header template instead of mounting it as a component
 * (flexRender): column definitions are rebuilt when the keyboard cursor moves, and a new
 * component type would remount the row's links between mouse-down and mouse-up, losing
 * the click.
 */
export function renderCell<C>(template: string | ((ctx: C) => ReactNode) | undefined, ctx: C): ReactNode {
  return typeof template === 'function' ? template(ctx) : template;
}
