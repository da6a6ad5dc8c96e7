export { sessionKeys } from './session.keys.ts';
export { meQuery, setupQuery, useMe } from './session.queries.ts';
export { useChangePassword, useSetupFirstAdmin, useSignIn, useSignOut } from './session.mutations.ts';
