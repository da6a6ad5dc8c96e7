import { MutationCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '@/api/api-error.ts';
import { toast } from '@/components/ui/toast.tsx';

/**
 * Server state lives here and only here (hooks in src/data/<resource>/). Reads are
 * fresh for 30 s; a 4xx is not retried (asking again gets the same answer). A failed
 * mutation shows a toast, unless it says `meta: { quietErrors: true }` because its form
 * shows the error at the field (lib/forms.ts).
 */
declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: { quietErrors?: boolean };
  }
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (count, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
        refetchOnWindowFocus: true,
      },
    },
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => {
        if (mutation.meta?.quietErrors || (isApiError(error) && error.status === 401)) return;
        toast({ title: 'That did not work', description: error.message, tone: 'error' });
      },
    }),
  });
  return client;
}
