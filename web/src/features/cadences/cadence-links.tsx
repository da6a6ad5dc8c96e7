import { Link } from '@tanstack/react-router';
import type { ComponentProps } from 'react';

type Page = 'builder' | 'analytics';

/**
 * A link to a cadence's builder (`/admin/cadences/$id`) or its analytics
 * (`/admin/cadences/$id/analytics`), the pages other parts of the admin app provide.
 */
export function CadenceLink({ id, page, ...props }: { id: string; page: Page } & Omit<ComponentProps<'a'>, 'href'>) {
  const to = page === 'builder' ? `/admin/cadences/${encodeURIComponent(id)}` : `/admin/cadences/${encodeURIComponent(id)}/analytics`;
  // Typed as a known address: the builder's and analytics' routes are hung by their own pages.
  return <Link to={to as '/admin'} {...props} />;
}
