/** Query keys of leads; `leadKeys.all` covers every lead read. */
export const leadKeys = {
  all: ['leads'] as const,
  detail: (id: string) => [...leadKeys.all, 'detail', id] as const,
  /** Every page of the list for one set of filters. */
  lists: () => [...leadKeys.all, 'list'] as const,
  list: (filter: LeadListFilter) => [...leadKeys.lists(), filter] as const,
};

/** The list's filters, as the URL and the query key hold them. */
export interface LeadListFilter {
  q?: string;
  status?: string;
  ownerId?: string;
  cadenceId?: string;
}

/** The workspace's settings (its zone is a lead's zone when the lead has none). */
export const organizationKey = ['organization'] as const;

/** A user read by id (a lead's owner). */
export const userKey = (id: string) => ['users', 'detail', id] as const;
