export { taskKeys } from './tasks.keys.ts';
export { draftQuery, QUEUE_PAGE, queueQuery, useDraft, useQueue, type Queue } from './tasks.queries.ts';
export { useBulkTasks, useCompleteTask, useSendManualEmail, useSkipTask, useSnoozeTask } from './tasks.mutations.ts';
export { useTaskExitRules } from './task-cadence.queries.ts';
