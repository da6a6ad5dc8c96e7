import type { ActivityDay, CadenceAnalytics, RepAnalytics } from '@contract/analytics.ts';
import type { ExitReason } from '@contract/enums.ts';
import { ENROLLMENT_STATUSES } from '@contract/enums.ts';
import { EXIT_LABEL, STATUS_LABEL, rate } from './analytics-labels.ts';
import { formatDay } from './analytics-range.ts';
import { MetricLink } from './metric-link.tsx';

/** The headline numbers of the range: enrolled, emails sent, replies, meetings. */
export function Totals({ a }: { a: CadenceAnalytics }) {
  const enrolled = Object.values(a.enrollments).reduce((x, y) => x + y, 0);
  const sum = (f: keyof Pick<RepAnalytics, 'sent' | 'replied' | 'meetings'>) => a.byRep.reduce((x, r) => x + r[f], 0);
  const items = [
    { label: 'Enrolled', value: enrolled, metric: 'enrolled', note: null },
    { label: 'Emails sent', value: sum('sent'), metric: 'sent', note: null },
    { label: 'Replied', value: sum('replied'), metric: 'replied', note: rate(sum('replied'), enrolled) },
    { label: 'Meetings', value: sum('meetings'), metric: 'meetings', note: rate(sum('meetings'), enrolled) },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
      {items.map((i) => (
        <div key={i.label} className="rounded-lg bg-white px-4 py-3 shadow-xs ring-1 ring-zinc-200">
          <dt className="text-[13px] text-zinc-600">{i.label}</dt>
          <dd className="mt-1 flex items-baseline gap-2 text-2xl">
            <MetricLink value={i.value} target={{ leads: i.metric }} className="no-underline" />
            {i.note && <span className="text-[13px] text-zinc-600">{i.note} of enrolled</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Why enrolments ended in the range, largest first, each a bar and a link; then where the range's enrolments stand now. */
export function ExitReasons({ a }: { a: CadenceAnalytics }) {
  const reasons = Object.entries(a.exitReasons).sort((x, y) => y[1] - x[1]);
  const most = Math.max(1, ...reasons.map(([, n]) => n));
  return (
    <div className="flex flex-col gap-4">
      {reasons.length === 0 ? (
        <p className="text-sm text-zinc-600">No enrolment exited in this range.</p>
      ) : (
        <ul className="flex flex-col gap-2" aria-label="Exit reasons">
          {reasons.map(([reason, n]) => (
            <li key={reason} className="grid grid-cols-[9rem_1fr_3rem] items-center gap-3 text-sm">
              <span className="text-zinc-800">{EXIT_LABEL[reason as ExitReason] ?? reason}</span>
              <span className="h-2 rounded-full bg-zinc-100" aria-hidden="true">
                <span className="block h-2 rounded-full bg-accent-500" style={{ width: `${(n / most) * 100}%` }} />
              </span>
              <span className="text-right"><MetricLink value={n} target={{ leads: `exit:${reason}` }} /></span>
            </li>
          ))}
        </ul>
      )}
      <div>
        <h3 className="mb-1.5 text-[13px] font-medium text-zinc-700">Enrolled in this range, where they are now</h3>
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {ENROLLMENT_STATUSES.filter((s) => a.enrollments[s] > 0).map((s) => (
            <li key={s} className="text-zinc-700">{STATUS_LABEL[s]} <MetricLink value={a.enrollments[s]} target={{ leads: `status:${s}` }} /></li>
          ))}
          {ENROLLMENT_STATUSES.every((s) => a.enrollments[s] === 0) && <li className="text-zinc-600">Nobody was enrolled in this range.</li>}
        </ul>
      </div>
    </div>
  );
}

/** The numbers by rep (the owner of each lead): enrolled, sent, replied, meetings. */
export function RepTable({ reps }: { reps: RepAnalytics[] }) {
  if (reps.length === 0) return <p className="text-sm text-zinc-600">Nothing happened in this range.</p>;
  const cols = ['enrolled', 'sent', 'replied', 'meetings'] as const;
  const head = { enrolled: 'Enrolled', sent: 'Sent', replied: 'Replied', meetings: 'Meetings' };
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-separate border-spacing-0 text-sm">
        <caption className="sr-only">By rep: each number opens the leads behind it</caption>
        <thead>
          <tr>
            <th scope="col" className="border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-left text-[12px] font-medium text-zinc-600">Rep</th>
            {cols.map((c) => (
              <th key={c} scope="col" className="border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-right text-[12px] font-medium text-zinc-600">{head[c]}</th>
            ))}
            <th scope="col" className="border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-right text-[12px] font-medium text-zinc-600">Reply rate</th>
          </tr>
        </thead>
        <tbody>
          {reps.map((r) => (
            <tr key={r.ownerId ?? 'none'}>
              <th scope="row" className="border-b border-zinc-100 px-3 py-2 text-left font-normal text-zinc-900">{r.name}</th>
              {cols.map((c) => (
                <td key={c} className="border-b border-zinc-100 px-3 py-2 text-right">
                  {r.ownerId
                    ? <MetricLink value={r[c]} target={{ leads: c, owner: r.ownerId }} context={r.name} />
                    : <span className="tabular-nums">{r[c]}</span>}
                </td>
              ))}
              <td className="border-b border-zinc-100 px-3 py-2 text-right tabular-nums text-zinc-700">{rate(r.replied, r.enrolled) ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The activity series as a table: the chart's alternative, every number a link to that day's leads. */
export function ActivityTable({ days, today }: { days: ActivityDay[]; today: string }) {
  const cols = ['sent', 'opened', 'clicked', 'replied', 'meetings'] as const;
  const head = { sent: 'Sent', opened: 'Human opens (est.)', clicked: 'Clicked', replied: 'Replied', meetings: 'Meetings' };
  const shown = days.filter((d) => cols.some((c) => d[c] > 0)).reverse();
  if (shown.length === 0) return <p className="text-sm text-zinc-600">No activity in this range.</p>;
  return (
    <div className="max-h-80 overflow-auto">
      <table className="w-full border-separate border-spacing-0 text-sm">
        <caption className="sr-only">Activity per day, newest first, days without activity left out</caption>
        <thead>
          <tr>
            <th scope="col" className="sticky top-0 border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-left text-[12px] font-medium text-zinc-600">Day</th>
            {cols.map((c) => (
              <th key={c} scope="col" className="sticky top-0 border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-right text-[12px] font-medium text-zinc-600">{head[c]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((d) => (
            <tr key={d.day}>
              <th scope="row" className="border-b border-zinc-100 px-3 py-1.5 text-left font-normal text-zinc-800">{formatDay(d.day, today)}</th>
              {cols.map((c) => (
                <td key={c} className="border-b border-zinc-100 px-3 py-1.5 text-right">
                  <MetricLink value={d[c]} target={{ leads: c, day: d.day }} context={formatDay(d.day, today)} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
