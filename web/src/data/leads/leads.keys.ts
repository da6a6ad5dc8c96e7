/** Query keys of leads; `leadKeys.all` covers every lead read. */
export const leadKeys = {
  all: ['leads'] as const,
  detail: (id: string) => [...leadKeys.all, 'detail', id] as const,
};

/** The workspace's settings (its zone is a lead's zone when the lead has none). */
export const organizationKey = ['organization'] as const;

/** A user read by id (a lead's owner). */
export const userKey = (id: string) => ['users', 'detail', id] as const;
