import { queryOptions, useQuery } from '@tanstack/react-query';
import { mailboxOverviewList } from '@contract/mailbox-health.ts';
import { api } from '@/api/client.ts';
import { mailboxKeys } from './mailboxes.keys.ts';

/** `GET /api/mailboxes` (admin): every mailbox with its health, read again every minute while shown. */
export const mailboxesQuery = queryOptions({
  queryKey: mailboxKeys.list(),
  queryFn: ({ signal }) => api.get('/api/mailboxes', { schema: mailboxOverviewList, signal }),
  select: (page) => page.items,
  refetchInterval: 60_000,
});
export const useMailboxes = () => useQuery(mailboxesQuery);
