import { cn } from '@/lib/cn.ts';

/** Label and value pairs in two columns (a message's headers, a delivery's ids); pairs without a value are left out. */
export function KeyValueList({ rows, className }: {
  rows: ReadonlyArray<readonly [string, string | null | undefined]>;
  className?: string;
}) {
  return (
    <dl className={cn('grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-[13px]', className)}>
      {rows.filter(([, v]) => v).map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-zinc-600">{k}</dt>
          <dd className="min-w-0 font-mono break-all text-zinc-900">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
