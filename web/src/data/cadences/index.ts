export { cadenceKeys } from './cadences.keys.ts';
export { cadencesQuery, useCadences, usePreflight } from './cadences.queries.ts';
export { useCadenceAction, useCloneCadence, useCreateCadence, useDeleteCadence, useEnroll, type CadenceAction } from './cadences.mutations.ts';
