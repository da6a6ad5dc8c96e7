import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { autoEnrollMatches, previewResult, type CadencePatch, type FieldCriterion } from '@contract/cadences.ts';
import type { Module } from '@contract/enums.ts';
import { leadList } from '@contract/leads.ts';
import { mergeFieldList } from '@contract/merge-fields.ts';
import { api } from '@/api/client.ts';
import { cadenceQuery } from '../enrollments/enrollments.queries.ts';
import { builderKeys } from './cadence-builder.keys.ts';

/** The cadence the builder edits, read fresh when the page opens (another admin may have saved it). */
export const useBuilderCadence = (id: string) => useQuery({ ...cadenceQuery(id), staleTime: 0, refetchOnWindowFocus: false });

/** `GET /api/merge-fields`: what templates may print, for the picker. Changes rarely. */
export const useMergeFields = () => useQuery({
  queryKey: builderKeys.mergeFields,
  queryFn: ({ signal }) => api.get('/api/merge-fields', { schema: mergeFieldList, signal }),
  staleTime: 5 * 60_000,
});

/**
 * `POST /api/cadences/:id/preview` with the builder's unsaved definition, rendered for
 * one lead. Keeps the last answer on screen while the next edit renders.
 */
export const useCadencePreview = (id: string, recordId: string | undefined, definition: CadencePatch) => useQuery({
  queryKey: builderKeys.preview(id, recordId ?? '', definition),
  queryFn: ({ signal }) => api.post(`/api/cadences/${encodeURIComponent(id)}/preview`, { recordId, definition }, { schema: previewResult, signal }),
  enabled: Boolean(recordId),
  placeholderData: keepPreviousData,
  staleTime: 60_000,
  refetchOnWindowFocus: false,
});

/** `POST /api/cadences/auto-enroll/matches`: how many records an automatic-enrolment filter matches now. */
export const useAutoEnrollMatches = (filter: FieldCriterion[], module: Module, enabled: boolean) => useQuery({
  queryKey: builderKeys.matches(filter, module),
  queryFn: ({ signal }) => api.post('/api/cadences/auto-enroll/matches', { filter, module }, { schema: autoEnrollMatches, signal }),
  enabled: enabled && filter.length > 0,
  placeholderData: keepPreviousData,
  staleTime: 30_000,
});

/** `GET /api/leads?q=`: a few leads whose name, email or company match, to preview a cadence for. */
export const useLeadSearch = (q: string) => useQuery({
  queryKey: builderKeys.leadSearch(q),
  queryFn: ({ signal }) => api.get('/api/leads', { query: { q: q || undefined, limit: 8 }, schema: leadList, signal }),
  placeholderData: keepPreviousData,
  staleTime: 30_000,
});
