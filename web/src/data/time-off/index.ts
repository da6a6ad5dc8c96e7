export { timeOffKeys } from './time-off.keys.ts';
export { timeOffQuery, useTimeOff } from './time-off.queries.ts';
export { useAddTimeOff, useEndTimeOff } from './time-off.mutations.ts';
