export { leadKeys, organizationKey, userKey } from './leads.keys.ts';
export { leadQuery, organizationQuery, useLead, useOrganization, useUser } from './leads.queries.ts';
export { useUpdateLead } from './leads.mutations.ts';
