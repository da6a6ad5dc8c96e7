/** Query keys of the admin's user list and invitation links. */
export const userKeys = {
  all: ['users'] as const,
  list: () => [...userKeys.all, 'list'] as const,
  invitation: (token: string) => ['invitation', token] as const,
};
