/** Query keys of the signed-in session; `sessionKeys.all` is cleared on sign-out. */
export const sessionKeys = {
  all: ['session'] as const,
  me: () => [...sessionKeys.all, 'me'] as const,
  setup: () => [...sessionKeys.all, 'setup'] as const,
};
