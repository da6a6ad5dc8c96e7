import { useMutation, useQueryClient } from '@tanstack/react-query';
import { cadence, enrollResult, type CadenceInput, type EnrollBody } from '@contract/cadences.ts';
import { api } from '@/api/client.ts';
import { cadenceKeys } from './cadences.keys.ts';

export type CadenceAction = 'activate' | 'pause' | 'archive';

const path = (id: string, rest = '') => `/api/cadences/${encodeURIComponent(id)}${rest}`;

/** After any change to a cadence, every read of cadences (list, detail, preflights) is asked again. */
function useRefreshCadences() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: cadenceKeys.all });
}

/** `POST /api/cadences/:id/activate|pause|archive`. Its dialog shows a refusal in place. */
export function useCadenceAction() {
  const refresh = useRefreshCadences();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: ({ id, action }: { id: string; action: CadenceAction }) => api.post(path(id, `/${action}`), undefined, { schema: cadence }),
    onSettled: refresh,
  });
}

/** `POST /api/cadences/:id/clone` → the draft copy. */
export function useCloneCadence() {
  const refresh = useRefreshCadences();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (id: string) => api.post(path(id, '/clone'), undefined, { schema: cadence }),
    onSettled: refresh,
  });
}

/** `DELETE /api/cadences/:id`: a draft only (anything else is a 409: archive it). */
export function useDeleteCadence() {
  const refresh = useRefreshCadences();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (id: string) => api.delete(path(id)),
    onSettled: refresh,
  });
}

/** `POST /api/cadences` → the new draft, which the builder then opens. */
export function useCreateCadence() {
  const refresh = useRefreshCadences();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: (input: CadenceInput) => api.post('/api/cadences', input, { schema: cadence }),
    onSettled: refresh,
  });
}

/**
 * `POST /api/cadences/:id/enrollments` with `{recordIds}` or `{filter}`. Enrolments change
 * the cadence's counts, the leads' enrolment lists and timelines, and reps' tasks.
 */
export function useEnroll() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: ({ cadenceId, target }: { cadenceId: string; target: EnrollBody }) =>
      api.post(path(cadenceId, '/enrollments'), target, { schema: enrollResult }),
    onSettled: () => Promise.all(['cadences', 'enrollments', 'leads', 'timeline', 'tasks'].map((k) => queryClient.invalidateQueries({ queryKey: [k] }))),
  });
}
