import type { Lead } from '../../contract/leads.ts';
import type { LeadRow } from '../../store/schema.ts';

/** A lead as the API answers it: every field present, null where not set. */
export const toLead = (r: LeadRow): Lead => ({
  id: r.id,
  module: r.module,
  email: r.email,
  firstName: r.first_name,
  lastName: r.last_name,
  company: r.company,
  phone: r.phone,
  status: r.status,
  ownerId: r.owner_id,
  timezone: r.timezone,
  fields: r.fields ?? {},
  unsubscribed: r.unsubscribed,
  bounced: r.bounced,
  converted: r.converted,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});
