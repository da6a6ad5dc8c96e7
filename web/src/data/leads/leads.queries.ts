import { infiniteQueryOptions, keepPreviousData, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { lead, leadList } from '@contract/leads.ts';
import { organization } from '@contract/organization.ts';
import { user } from '@contract/users.ts';
import { api } from '@/api/client.ts';
import { leadKeys, organizationKey, userKey, type LeadListFilter } from './leads.keys.ts';

/** Leads a page of the list shows. */
export const LEADS_PAGE_SIZE = 50;

/**
 * `GET /api/leads` with filters, a page at a time (newest first): each page's
 * `nextCursor` asks for the next. The previous pages stay on screen while new filters load.
 */
export const leadsListQuery = (filter: LeadListFilter) => infiniteQueryOptions({
  queryKey: leadKeys.list(filter),
  queryFn: ({ signal, pageParam }) =>
    api.get('/api/leads', { query: { ...filter, limit: LEADS_PAGE_SIZE, cursor: pageParam }, schema: leadList, signal }),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (page) => page.nextCursor,
  placeholderData: keepPreviousData,
});
export const useLeadsList = (filter: LeadListFilter) => useInfiniteQuery(leadsListQuery(filter));

/** `GET /api/leads/:id`: a rep is answered 404 for a lead that is not theirs. */
export const leadQuery = (id: string) => queryOptions({
  queryKey: leadKeys.detail(id),
  queryFn: ({ signal }) => api.get(`/api/leads/${encodeURIComponent(id)}`, { schema: lead, signal }),
});
export const useLead = (id: string) => useQuery(leadQuery(id));

/** `GET /api/organization`: rarely changes, so it is kept for a while. */
export const organizationQuery = queryOptions({
  queryKey: organizationKey,
  queryFn: ({ signal }) => api.get('/api/organization', { schema: organization, signal }),
  staleTime: 10 * 60_000,
});
export const useOrganization = () => useQuery(organizationQuery);

/**
 * A lead's owner by id (`GET /api/users/:id`). Only an admin may read other users, so
 * pass `enabled: false` for a rep: its leads are its own.
 */
export const useUser = (id: string | null, enabled = true) => useQuery({
  queryKey: userKey(id ?? ''),
  queryFn: ({ signal }) => api.get(`/api/users/${encodeURIComponent(id!)}`, { schema: user, signal }),
  enabled: enabled && id !== null,
  staleTime: 10 * 60_000,
});
