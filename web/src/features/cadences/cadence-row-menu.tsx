import { Archive, BarChart3, Copy, MoreHorizontal, Pause, Pencil, Play, Trash2, UserPlus } from 'lucide-react';
import type { CadenceSummary } from '@contract/cadences.ts';
import { Button } from '@/components/ui/button.tsx';
import { DropdownMenu, MenuItem, MenuSeparator } from '@/components/ui/dropdown-menu.tsx';

export type RowCommand = 'open' | 'analytics' | 'enrol' | 'activate' | 'pause' | 'archive' | 'clone' | 'delete';

/**
 * What can be done with a cadence in its state: a draft or a paused one can be activated,
 * an active one paused, anything but an archived one archived, any one cloned, and only a
 * draft deleted (a cadence that ran keeps its history: archive it instead).
 */
export function commandsFor(status: CadenceSummary['status']): RowCommand[] {
  switch (status) {
    case 'draft': return ['open', 'analytics', 'enrol', 'activate', 'clone', 'archive', 'delete'];
    case 'active': return ['open', 'analytics', 'enrol', 'pause', 'clone', 'archive'];
    case 'paused': return ['open', 'analytics', 'enrol', 'activate', 'clone', 'archive'];
    case 'archived': return ['open', 'analytics', 'clone'];
  }
}

export function CadenceRowMenu({ cadence, tabIndex, onCommand }: {
  cadence: CadenceSummary;
  tabIndex?: number;
  onCommand: (command: RowCommand) => void;
}) {
  const can = new Set(commandsFor(cadence.status));
  return (
    <DropdownMenu
      label={`Actions for ${cadence.name}`}
      trigger={(
        <Button variant="ghost" size="icon" aria-label={`Actions for ${cadence.name}`} tabIndex={tabIndex}>
          <MoreHorizontal aria-hidden="true" />
        </Button>
      )}
    >
      <MenuItem onSelect={() => onCommand('open')}><Pencil aria-hidden="true" />Edit steps and settings</MenuItem>
      <MenuItem onSelect={() => onCommand('analytics')}><BarChart3 aria-hidden="true" />Analytics</MenuItem>
      {can.has('enrol') && <MenuItem onSelect={() => onCommand('enrol')}><UserPlus aria-hidden="true" />Enrol leads…</MenuItem>}
      <MenuSeparator />
      {can.has('activate') && (
        <MenuItem onSelect={() => onCommand('activate')}><Play aria-hidden="true" />{cadence.status === 'paused' ? 'Resume…' : 'Activate…'}</MenuItem>
      )}
      {can.has('pause') && <MenuItem onSelect={() => onCommand('pause')}><Pause aria-hidden="true" />Pause…</MenuItem>}
      <MenuItem onSelect={() => onCommand('clone')}><Copy aria-hidden="true" />Clone as a draft</MenuItem>
      {can.has('archive') && <MenuItem onSelect={() => onCommand('archive')}><Archive aria-hidden="true" />Archive…</MenuItem>}
      {can.has('delete') && (
        <MenuItem onSelect={() => onCommand('delete')} className="text-red-700 data-highlighted:text-red-800 [&_svg]:text-red-600">
          <Trash2 aria-hidden="true" />Delete draft…
        </MenuItem>
      )}
    </DropdownMenu>
  );
}
