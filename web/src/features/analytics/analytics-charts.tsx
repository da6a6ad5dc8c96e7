import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ActivityDay, StepAnalytics } from '@contract/analytics.ts';
import { formatDay } from './analytics-range.ts';

/**
 * The charts (recharts), in a chunk of their own that the page loads after its
 * numbers (React.lazy): the tables beside them carry the same numbers for screen
 * readers and keyboards, so each chart is one image with a summary.
 */

export const SERIES_COLOR = {
  sent: '#6366f1', opened: '#0ea5e9', clicked: '#14b8a6', replied: '#d97706', meetings: '#e11d48', executed: '#a1a1aa',
} as const;

const AXIS = { fontSize: 12, fill: '#52525b' };

/** Bars per step: reached, sent, human opens, replies. */
export function FunnelChart({ steps, summary }: { steps: StepAnalytics[]; summary: string }) {
  const data = steps.map((s) => ({
    step: `Step ${s.index + 1}`,
    name: s.name,
    Reached: s.executed, Sent: s.sent, 'Human opens (est.)': s.opened, Replied: s.replied,
  }));
  return (
    <div role="img" aria-label={summary} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} barCategoryGap="20%" accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#e4e4e7" />
          <XAxis dataKey="step" tick={AXIS} tickLine={false} axisLine={{ stroke: '#d4d4d8' }} interval={0} />
          <YAxis allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} />
          <Tooltip cursor={{ fill: '#f4f4f5' }} labelFormatter={(label, payload) => `${label}: ${payload?.[0]?.payload?.name ?? ''}`} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          <Bar dataKey="Reached" fill={SERIES_COLOR.executed} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          <Bar dataKey="Sent" fill={SERIES_COLOR.sent} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          <Bar dataKey="Human opens (est.)" fill={SERIES_COLOR.opened} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          <Bar dataKey="Replied" fill={SERIES_COLOR.replied} radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Stacked-free areas per day: sends, opens, clicks, replies, meetings. */
export function ActivityChart({ days, today, summary }: { days: ActivityDay[]; today: string; summary: string }) {
  const data = days.map((d) => ({
    day: formatDay(d.day, today), Sent: d.sent, 'Human opens (est.)': d.opened, Clicked: d.clicked, Replied: d.replied, Meetings: d.meetings,
  }));
  const series = [
    ['Sent', SERIES_COLOR.sent], ['Human opens (est.)', SERIES_COLOR.opened], ['Clicked', SERIES_COLOR.clicked],
    ['Replied', SERIES_COLOR.replied], ['Meetings', SERIES_COLOR.meetings],
  ] as const;
  return (
    <div role="img" aria-label={summary} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#e4e4e7" />
          <XAxis dataKey="day" tick={AXIS} tickLine={false} axisLine={{ stroke: '#d4d4d8' }} minTickGap={24} />
          <YAxis allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          {series.map(([key, color]) => (
            <Area key={key} type="monotone" dataKey={key} stroke={color} fill={color} fillOpacity={0.12} strokeWidth={2} dot={false} isAnimationActive={false} />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
