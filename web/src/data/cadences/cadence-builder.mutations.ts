import { useMutation, useQueryClient } from '@tanstack/react-query';
import { cadencePatched, type CadencePatch } from '@contract/cadences.ts';
import { api } from '@/api/client.ts';

const cadenceReads = ['cadences'] as const;

/**
 * `PATCH /api/cadences/:id` with the builder's definition. Errors land at their fields
 * (a 400 names `steps.1.body`), so no toast; every read of cadences is refreshed after.
 */
export function useSaveCadence(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (definition: CadencePatch) => api.patch(`/api/cadences/${encodeURIComponent(id)}`, definition, { schema: cadencePatched }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: cadenceReads }),
  });
}
