/** Query keys of the booking integrations (Cal.com, Calendly). */
export const integrationKeys = {
  all: ['integrations'] as const,
  list: () => [...integrationKeys.all, 'list'] as const,
};
