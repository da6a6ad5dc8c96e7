import { useState, type ReactNode } from 'react';
import type { TimelineItem } from '@contract/timeline.ts';
import { Button } from '@/components/ui/button.tsx';
import { ToggleChip } from '@/components/ui/toggle-chip.tsx';
import { cn } from '@/lib/cn.ts';
import { dayHeading, dayKey, humanize, shortDate, timeOfDay } from './lead-format.ts';
import {
  MACHINE_KIND, matchesFilters, openCounts, TIMELINE_FILTER_KEYS, TIMELINE_FILTERS, TIMELINE_KIND, type TimelineFilter,
} from './timeline-kinds.ts';

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;
/** Instants inside a detail ("until 2026-11-12T09:00:00.000Z") read as dates. */
const withDates = (text: string) => text.replace(ISO, (iso) => `${shortDate(iso)} ${timeOfDay(iso)}`);

/** The second line of an item: the link clicked, why it exited, old → new, a call's outcome and note. */
function Detail({ item }: { item: TimelineItem }): ReactNode {
  const detail = item.detail;
  if (!detail) return null;
  switch (item.type) {
    case 'email_clicked':
      return /^https?:\/\//.test(detail)
        ? <a href={detail} target="_blank" rel="noopener noreferrer" className="break-all text-accent-700 underline decoration-accent-200 underline-offset-2 hover:decoration-accent-600">{detail}</a>
        : <span className="break-all">{detail}</span>;
    case 'exited': {
      const words = detail.includes(': ') ? detail.slice(detail.indexOf(': ') + 2) : humanize(detail);
      return <span><span className="font-medium text-zinc-700">Why: </span>{words}</span>;
    }
    case 'task_completed': {
      const [outcome, ...note] = detail.split(' — ');
      const isOutcome = /^[a-z_]+$/.test(outcome ?? '');
      return (
        <span>
          {isOutcome && <span className="font-medium text-zinc-700">{humanize(outcome!)}</span>}
          {isOutcome && note.length > 0 && ' — '}
          {(isOutcome ? note.join(' — ') : detail) && <span className="italic">“{isOutcome ? note.join(' — ') : detail}”</span>}
        </span>
      );
    }
    case 'field_changed':
      return (
        <ul className="flex flex-col gap-0.5">
          {detail.split('; ').map((change) => {
            const m = /^(.+?): (.*) → (.*)$/.exec(change);
            if (!m) return <li key={change}>{change}</li>;
            return (
              <li key={change}>
                <span className="font-medium text-zinc-700">{humanize(m[1]!)}</span>{' '}
                <span className="text-zinc-500 line-through decoration-zinc-400">{m[2]}</span>
                <span aria-label="changed to"> → </span>
                <span className="text-zinc-800">{m[3]}</span>
              </li>
            );
          })}
        </ul>
      );
    case 'task_skipped':
      return <span className="italic">“{detail}”</span>;
    default:
      return <span>{withDates(detail)}</span>;
  }
}

/** The server's machine titles carry their explanation; the label beside them says it once. */
const machineTitle = (item: TimelineItem) =>
  item.type === 'email_opened' ? 'Opened by a machine' : item.type === 'email_clicked' ? 'Link fetched by a machine' : item.title;

const MachineLabel = () => <span className="text-[11px] text-zinc-500">machine (privacy proxy / scanner)</span>;

function TimelineRow({ item }: { item: TimelineItem }) {
  const machine = item.machine === true;
  const kind = machine ? MACHINE_KIND : TIMELINE_KIND[item.type];
  const Icon = kind.icon;
  return (
    <li className="group relative flex gap-3 py-1.5 pl-1" data-type={item.type} data-machine={machine || undefined}>
      <span className={cn('relative z-10 mt-0.5 grid size-6 shrink-0 place-items-center rounded-full ring-1', kind.tone)}>
        <Icon className="size-3.5" aria-hidden="true" />
      </span>
      <div className="flex min-w-0 flex-1 flex-col gap-0.5">
        <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
          <p className={cn('text-[13px] leading-5', machine ? 'text-zinc-600' : 'text-zinc-900')}>{machine ? machineTitle(item) : item.title}</p>
          {machine && <MachineLabel />}
        </div>
        {item.detail && <div className="text-[12px] leading-5 text-zinc-600"><Detail item={item} /></div>}
      </div>
      <time dateTime={item.at} className="shrink-0 pt-0.5 text-[12px] text-zinc-500 tabular-nums" title={new Date(item.at).toLocaleString('en-GB')}>
        {timeOfDay(item.at)}
      </time>
    </li>
  );
}

/**
 * Several machine opens (or clicks) in a row — a proxy fetching the pixel again and
 * again — read as one dimmed line that can be opened, so they never crowd out people.
 */
function MachineRun({ items }: { items: TimelineItem[] }) {
  const [open, setOpen] = useState(false);
  const first = items[0]!;
  const noun = first.type === 'email_clicked' ? 'link fetches' : 'opens';
  const Icon = MACHINE_KIND.icon;
  return (
    <li className="relative flex gap-3 py-1.5 pl-1" data-type={first.type} data-machine>
      <span className={cn('relative z-10 mt-0.5 grid size-6 shrink-0 place-items-center rounded-full ring-1', MACHINE_KIND.tone)}>
        <Icon className="size-3.5" aria-hidden="true" />
      </span>
      <div className="flex min-w-0 flex-1 flex-col gap-0.5">
        <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
          <p className="text-[13px] leading-5 text-zinc-600">{items.length} {noun} by machines</p>
          <MachineLabel />
          <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className="rounded text-[11px] font-medium text-zinc-600 underline underline-offset-2 hover:text-zinc-900">
            {open ? 'Hide times' : 'Show times'}
          </button>
        </div>
        {open && <p className="text-[12px] text-zinc-600 tabular-nums">{items.map((i) => timeOfDay(i.at)).join(', ')}</p>}
      </div>
      <time dateTime={first.at} className="shrink-0 pt-0.5 text-[12px] text-zinc-500 tabular-nums">{timeOfDay(first.at)}</time>
    </li>
  );
}

/** A day's items with consecutive machine items of one kind folded into runs. */
function foldMachineRuns(items: TimelineItem[]): Array<TimelineItem | TimelineItem[]> {
  const out: Array<TimelineItem | TimelineItem[]> = [];
  for (const item of items) {
    const last = out[out.length - 1];
    const prev = Array.isArray(last) ? last[0] : last;
    if (item.machine && prev?.machine && prev.type === item.type) {
      if (Array.isArray(last)) last.push(item);
      else out[out.length - 1] = [last!, item];
    } else {
      out.push(item);
    }
  }
  return out;
}

/** "3 opens by people, 5 by machines": machine opens (privacy proxies, scanners) count for nothing. */
export function OpenCounts({ items, className }: { items: TimelineItem[]; className?: string }) {
  const { human, machine } = openCounts(items);
  if (human + machine === 0) return null;
  return (
    <p className={cn('text-[12px] text-zinc-600', className)} data-testid="open-counts">
      <span className="font-medium text-zinc-800">{human} {human === 1 ? 'open' : 'opens'} by people</span>
      {', '}
      <span>{machine} by machines</span>
    </p>
  );
}

export function TimelineFilters({ value, onChange }: { value: readonly TimelineFilter[]; onChange: (next: TimelineFilter[]) => void }) {
  return (
    <div role="group" aria-label="Show only" className="flex flex-wrap items-center gap-1.5">
      <ToggleChip pressed={value.length === 0} onPressedChange={() => onChange([])}>All</ToggleChip>
      {TIMELINE_FILTER_KEYS.map((key) => (
        <ToggleChip
          key={key}
          pressed={value.includes(key)}
          onPressedChange={(on) => onChange(on ? [...value, key] : value.filter((k) => k !== key))}
        >
          {TIMELINE_FILTERS[key].label}
        </ToggleChip>
      ))}
    </div>
  );
}

/**
 * A lead's history, newest first, grouped by day. Opens and clicks made by machines are
 * dimmed and labelled, so a rep never mistakes a privacy proxy for interest.
 */
export function TimelineList({ items, filters = [], hasMore, onLoadMore, loadingMore, emptyText = 'Nothing has happened with this lead yet.' }: {
  items: TimelineItem[];
  filters?: readonly TimelineFilter[];
  hasMore?: boolean;
  onLoadMore?: () => void;
  loadingMore?: boolean;
  emptyText?: string;
}) {
  const shown = items.filter((i) => matchesFilters(i, filters));
  const days: Array<{ key: string; at: string; items: TimelineItem[] }> = [];
  for (const item of shown) {
    const key = dayKey(item.at);
    const last = days[days.length - 1];
    if (last?.key === key) last.items.push(item);
    else days.push({ key, at: item.at, items: [item] });
  }
  return (
    <div className="flex flex-col gap-3">
      {shown.length === 0 && (
        <p className="py-6 text-center text-[13px] text-zinc-500">
          {items.length === 0 ? emptyText : hasMore ? 'Nothing of these kinds in what is loaded: load older items to look further back.' : 'Nothing of these kinds.'}
        </p>
      )}
      {days.map((day) => (
        <section key={day.key} aria-label={dayHeading(day.at)}>
          <h3 className="sticky top-0 z-20 bg-white/95 py-1 text-[12px] font-medium text-zinc-500 backdrop-blur">{dayHeading(day.at)}</h3>
          <ol className="relative before:absolute before:top-3 before:bottom-3 before:left-[16px] before:w-px before:bg-zinc-200">
            {foldMachineRuns(day.items).map((row, i) => (Array.isArray(row)
              ? <MachineRun key={`${row[0]!.at}-run-${i}`} items={row} />
              : <TimelineRow key={`${row.at}-${row.type}-${i}`} item={row} />))}
          </ol>
        </section>
      ))}
      {hasMore && onLoadMore && (
        <div className="flex justify-center pt-1">
          <Button size="sm" variant="secondary" onClick={onLoadMore} loading={loadingMore}>Load older</Button>
        </div>
      )}
    </div>
  );
}
