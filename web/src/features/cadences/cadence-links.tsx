import { Link } from '@tanstack/react-router';
import type { ComponentProps } from 'react';

/** A link to a cadence's builder (`/admin/cadences/$cadenceId`) or its analytics (`…/analytics`). */
export function CadenceLink({ id, page, ...props }: { id: string; page: 'builder' | 'analytics' } & Omit<ComponentProps<'a'>, 'href'>) {
  return page === 'builder'
    ? <Link to="/admin/cadences/$cadenceId" params={{ cadenceId: id }} {...props} />
    : <Link to="/admin/cadences/$cadenceId/analytics" params={{ cadenceId: id }} {...props} />;
}
