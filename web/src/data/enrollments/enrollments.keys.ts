/** Query keys of enrolments; a record's list is what the lead page shows. */
export const enrollmentKeys = {
  all: ['enrollments'] as const,
  byRecord: (recordId: string) => [...enrollmentKeys.all, 'record', recordId] as const,
  openWork: (enrollmentId: string) => [...enrollmentKeys.all, 'open-work', enrollmentId] as const,
};

/** A cadence by id (`GET /api/cadences/:id`): its name and steps, for "step 3 of 7". */
export const cadenceKey = (id: string) => ['cadences', 'detail', id] as const;
