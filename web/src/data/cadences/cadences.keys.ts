/**
 * Query keys of cadences; `cadenceKeys.all` covers every cadence read (the list, one
 * cadence, its stats), so a change to one cadence refreshes whatever shows it.
 */
export const cadenceKeys = {
  all: ['cadences'] as const,
  list: () => [...cadenceKeys.all, 'list'] as const,
  /** The same key as `cadenceKey` in data/enrollments (a cadence by id). */
  detail: (id: string) => [...cadenceKeys.all, 'detail', id] as const,
  preflights: () => [...cadenceKeys.all, 'preflight'] as const,
  preflight: (id: string, target: unknown) => [...cadenceKeys.preflights(), id, target] as const,
};
