import type { ImportColumn, LeadImportField } from '@contract/lead-import.ts';

export const FIELD_LABEL: Record<LeadImportField, string> = {
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  fullName: 'Name (first and last)',
  company: 'Company',
  phone: 'Phone',
  status: 'Status',
  timezone: 'Time zone',
  ownerEmail: 'Owner (by email)',
};

/** Where a column of the file goes, in words. */
export const columnTarget = (c: ImportColumn) =>
  c.kind === 'field' ? FIELD_LABEL[c.field!] : c.kind === 'custom' ? `Custom field "${c.key}"` : 'Ignored (no header)';

export const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MB`;
