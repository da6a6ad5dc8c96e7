export { mailboxKeys } from './mailboxes.keys.ts';
export { mailboxesQuery, useMailboxes } from './mailboxes.queries.ts';
export { useSaveMailbox, useSendTestEmail } from './mailboxes.mutations.ts';
