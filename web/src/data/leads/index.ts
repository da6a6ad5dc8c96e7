export { leadKeys, organizationKey, userKey, type LeadListFilter } from './leads.keys.ts';
export { LEADS_PAGE_SIZE, leadQuery, leadsListQuery, organizationQuery, useLead, useLeadsList, useOrganization, useUser } from './leads.queries.ts';
export { useCreateLead, useDeleteLead, useUpdateLead } from './leads.mutations.ts';
