import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { timeline, type TimelineItem } from '@contract/timeline.ts';
import { api } from '@/api/client.ts';
import { timelineKeys } from './timeline.keys.ts';

/** Items a page: enough for a few weeks of a busy lead; older ones come with "Load older". */
export const TIMELINE_PAGE = 100;

/** `GET /api/leads/:id/timeline`, newest first, paged by the `nextBefore` cursor. */
export const leadTimelineQuery = (leadId: string) => infiniteQueryOptions({
  queryKey: timelineKeys.lead(leadId),
  queryFn: ({ signal, pageParam }) =>
    api.get(`/api/leads/${encodeURIComponent(leadId)}/timeline`, { query: { limit: TIMELINE_PAGE, before: pageParam }, schema: timeline, signal }),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (last) => last.nextBefore,
});

/** The lead's timeline; `items` joins the pages loaded so far. */
export function useLeadTimeline(leadId: string) {
  const query = useInfiniteQuery(leadTimelineQuery(leadId));
  const items: TimelineItem[] = query.data?.pages.flatMap((p) => p.items) ?? [];
  return { ...query, items };
}
