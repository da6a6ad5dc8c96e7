export { userKeys } from './users.keys.ts';
export { useInvitation, useUsers, usersQuery } from './users.queries.ts';
export { useAcceptInvitation, useCreateUser, useDeactivateUser, useReactivateUser, useReinvite, useUpdateUser } from './users.mutations.ts';
