import { DateTime } from 'luxon';
import {
  isCalendarDate, MAX_RANGE_DAYS, parseMetric, type CadenceAnalytics, type ParsedMetric, type StatsLeads, type StatsLeadsQuery, type StatsQuery,
} from '../contract/analytics.ts';
import { findCadence } from '../store/cadence.repository.ts';
import { findOrganization } from '../store/organization.repository.ts';
import { cadenceStatRows, statsLeadRows, userNames, type EventKind, type StatsScope } from '../store/stats.repository.ts';
import type { Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { invalid, notFound } from './errors.ts';
import { analyticsCsv, toCadenceAnalytics } from './views/cadence-stats.ts';

/** A cadence's analytics: `GET /api/cadences/:id/stats`. Every user reads them (a rep enrols into cadences). */
export async function getCadenceAnalytics(ctx: AppContext, _actor: Actor, id: string, query: StatsQuery): Promise<CadenceAnalytics> {
  const { cadence, scope, days, zone } = await prepare(ctx, id, query);
  const rows = await cadenceStatRows(ctx.db, scope, zone);
  const ownerIds = [...new Set(rows.filter((r) => r.by === 'owner' && r.owner_id).map((r) => r.owner_id!))];
  const names = await userNames(ctx.db, ownerIds);
  return toCadenceAnalytics(rows, cadence.definition.steps, names, days, {
    from: scope.from?.toISOString() ?? null, to: scope.to?.toISOString() ?? null, timezone: zone,
  });
}

/** The same, as CSV: the funnel per step, then by rep. */
export async function exportCadenceAnalytics(ctx: AppContext, actor: Actor, id: string, query: StatsQuery): Promise<{ filename: string; csv: string }> {
  const analytics = await getCadenceAnalytics(ctx, actor, id, query);
  const cadence = (await findCadence(ctx.db, id))!;
  const slug = cadence.row.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'cadence';
  const span = analytics.activity.length > 0 ? `-${analytics.activity[0].day}-to-${analytics.activity.at(-1)!.day}` : '';
  return { filename: `${slug}${span}.csv`, csv: analyticsCsv(analytics) };
}

/** What each metric reads from the event stream. */
function metricFilter(m: ParsedMetric): { kind: EventKind; detail: string | null } {
  switch (m.kind) {
    case 'exit': return { kind: 'exited', detail: m.reason };
    case 'call': return { kind: 'task_done', detail: m.outcome };
    case 'status': return { kind: 'enrolled', detail: m.status };
    case 'plain': {
      const kinds: Record<typeof m.metric, EventKind> = {
        enrolled: 'enrolled', executed: 'executed', skipped: 'skipped', sent: 'sent', opened: 'opened', clicked: 'clicked',
        replied: 'replied', bounced: 'bounced', unsubscribed: 'unsubscribed', tasksCompleted: 'task_done', meetings: 'meeting_booked',
      };
      return { kind: kinds[m.metric], detail: null };
    }
  }
}

/** `GET /api/cadences/:id/stats/leads`: the leads behind one number of the stats, a page at a time. A rep sees their own leads. */
export async function getStatsLeads(ctx: AppContext, actor: Actor, id: string, query: StatsLeadsQuery): Promise<StatsLeads> {
  const { cadence, scope } = await prepare(ctx, id, query);
  if (query.stepId !== undefined && !cadence.definition.steps.some((s) => s.id === query.stepId)) {
    throw invalid(`querystring.stepId: cadence ${id} has no step ${query.stepId}`, [{ path: 'querystring.stepId', message: `no step ${query.stepId} in this cadence` }]);
  }
  const after = query.cursor !== undefined ? decodeCursor(query.cursor) : null;
  const { kind, detail } = metricFilter(parseMetric(query.metric)!);
  const rows = await statsLeadRows(ctx.db, scope, {
    kind, detail, stepId: query.stepId ?? null, visibleTo: actor.role === 'admin' ? null : actor.id,
  }, query.limit + 1, after);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      name: [r.first_name, r.last_name].filter((p) => p && p.trim()).join(' ') || null,
      email: r.email,
      company: r.company,
    })),
    ...(rows.length > query.limit && last ? { nextCursor: Buffer.from(JSON.stringify([last.sort_key, last.id])).toString('base64url') } : {}),
  };
}

function decodeCursor(cursor: string): { key: string; id: string } {
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof key === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) return { key, id };
  } catch { /* falls through */ }
  throw invalid('querystring.cursor: not a cursor this route gave', [{ path: 'querystring.cursor', message: 'not a cursor this route gave' }]);
}

/** The cadence, the organisation's zone, the range as instants and the days of its series. */
async function prepare(ctx: AppContext, id: string, query: StatsQuery) {
  const cadence = await findCadence(ctx.db, id);
  if (!cadence) throw notFound('cadence', id);
  const zone = (await findOrganization(ctx.db)).timezone;
  const bound = (value: string | undefined, end: boolean): Date | null => {
    if (value === undefined) return null;
    if (!isCalendarDate(value)) return new Date(value);
    const day = DateTime.fromISO(value, { zone });
    return (end ? day.plus({ days: 1 }) : day).toJSDate();
  };
  const from = bound(query.from, false);
  const to = bound(query.to, true);
  const range = { from, to };
  if (from && to && to <= from) throw rangeError('to', 'expected `to` after `from`');

  const now = ctx.clock.now();
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const lastDay = to ? DateTime.fromJSDate(new Date(to.getTime() - 1), { zone }).startOf('day') : today;
  const created = DateTime.fromJSDate(cadence.row.created_at, { zone }).startOf('day');
  let firstDay = from
    ? DateTime.fromJSDate(from, { zone }).startOf('day')
    : DateTime.max(created, lastDay.minus({ days: MAX_RANGE_DAYS - 1 }));
  if (firstDay > lastDay) firstDay = lastDay;
  const span = Math.round(lastDay.diff(firstDay, 'days').days) + 1;
  if (from && span > MAX_RANGE_DAYS) throw rangeError(to ? 'to' : 'from', `a range covers at most ${MAX_RANGE_DAYS} days (this one ${span})`);
  const days: string[] = [];
  for (let d = firstDay; d <= lastDay; d = d.plus({ days: 1 })) days.push(d.toISODate()!);

  const scope: StatsScope = { cadenceId: id, ...range, ownerId: query.ownerId ?? null };
  return { cadence, scope, days, zone };
}

function rangeError(param: 'from' | 'to', message: string) {
  return invalid(`querystring.${param}: ${message}`, [{ path: `querystring.${param}`, message }]);
}
