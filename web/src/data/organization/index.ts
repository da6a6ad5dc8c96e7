export { organizationQuery, useOrganization } from '../leads/leads.queries.ts';
export { useAddHolidays, useRemoveHoliday, useUpdateOrganization } from './organization.mutations.ts';
