export { cadenceKeys } from './cadences.keys.ts';
export { cadencesQuery, useCadences, usePreflight } from './cadences.queries.ts';
export { useCadenceAction, useCloneCadence, useCreateCadence, useDeleteCadence, useEnroll, type CadenceAction } from './cadences.mutations.ts';
export { builderKeys } from './cadence-builder.keys.ts';
export { useAutoEnrollMatches, useBuilderCadence, useCadencePreview, useLeadSearch, useMergeFields } from './cadence-builder.queries.ts';
export { useSaveCadence } from './cadence-builder.mutations.ts';
