export { cadenceKey, enrollmentKeys } from './enrollments.keys.ts';
export {
  cadenceQuery, isLive, leadEnrollmentsQuery, useEnrollmentOpenWork, useLeadEnrollments, type EnrollmentView,
} from './enrollments.queries.ts';
export { useEnrollmentAction, type EnrollmentAction } from './enrollments.mutations.ts';
