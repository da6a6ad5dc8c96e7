/** Query keys of lead timelines; a lead's key covers all its pages. */
export const timelineKeys = {
  all: ['timeline'] as const,
  lead: (leadId: string) => [...timelineKeys.all, leadId] as const,
};
