/** Query keys of a user's time off (current and future). */
export const timeOffKeys = {
  all: ['time-off'] as const,
  ofUser: (userId: string) => [...timeOffKeys.all, userId] as const,
};
