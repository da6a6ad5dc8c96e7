import type { ImportColumn, LeadImportField } from '../contract/lead-import.ts';

/**
 * A CSV header read as lead fields: each header is compared without case, spaces and
 * punctuation (`First Name`, `first_name`, `FIRSTNAME` are one), against the spellings
 * spreadsheets and CRMs export. Anything else is a custom field under its header.
 */
const SPELLINGS: Record<LeadImportField, string[]> = {
  email: ['email', 'emailaddress', 'mail', 'emailid', 'workemail', 'businessemail', 'primaryemail', 'contactemail', 'leademail'],
  firstName: ['firstname', 'first', 'givenname', 'forename', 'fname'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'lname'],
  fullName: ['name', 'fullname', 'contactname', 'leadname'],
  company: ['company', 'companyname', 'organization', 'organisation', 'organizationname', 'organisationname', 'account', 'accountname', 'employer', 'business'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'mobilephone', 'mobilenumber', 'cell', 'cellphone', 'workphone', 'businessphone'],
  status: ['status', 'leadstatus', 'stage', 'leadstage'],
  timezone: ['timezone', 'tz', 'zone', 'timezonename'],
  ownerEmail: ['owneremail', 'owner', 'leadowner', 'owneremailaddress', 'assignedto', 'salesrep', 'rep', 'repemail', 'accountowner'],
};

const BY_SPELLING = new Map<string, LeadImportField>(
  Object.entries(SPELLINGS).flatMap(([field, names]) => names.map((n) => [n, field as LeadImportField] as const)),
);

/** `First Name` → `firstname`: letters and digits only, lower case. */
export const normalizeHeader = (header: string) => header.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]/g, '');

export interface HeaderProblem {
  message: string;
}

/**
 * The columns of a header, or why it cannot be read: no email column (naming the
 * columns found), or two columns filling one field. `fullName` counts only when
 * neither first nor last name has a column of its own (else it is a custom field).
 */
export function mapHeader(headers: string[]): { columns: ImportColumn[] } | { problem: HeaderProblem } {
  const columns: ImportColumn[] = headers.map((raw, i) => {
    const header = raw.trim();
    if (header === '') return { index: i + 1, header, kind: 'ignored' };
    const field = BY_SPELLING.get(normalizeHeader(header));
    return field ? { index: i + 1, header, kind: 'field', field } : { index: i + 1, header, kind: 'custom', key: header.slice(0, 100) };
  });
  const has = (f: LeadImportField) => columns.some((c) => c.field === f);
  if (has('fullName') && (has('firstName') || has('lastName'))) {
    for (const c of columns) if (c.field === 'fullName') Object.assign(c, { kind: 'custom', key: c.header.slice(0, 100), field: undefined });
  }
  for (const c of columns) if (c.field === undefined) delete c.field;
  const seen = new Map<string, ImportColumn>();
  for (const c of columns) {
    const name = c.kind === 'field' ? c.field! : c.kind === 'custom' ? `custom:${c.key!.toLowerCase()}` : null;
    if (!name) continue;
    const first = seen.get(name);
    if (first) {
      const what = c.kind === 'field' ? c.field : `the custom field "${c.key}"`;
      return { problem: { message: `columns ${first.index} ("${first.header}") and ${c.index} ("${c.header}") both fill ${what}: keep one of them` } };
    }
    seen.set(name, c);
  }
  if (!has('email')) {
    const found = headers.map((h) => `"${h.trim().slice(0, 40)}"`).join(', ');
    const looksLikeData = headers.some((h) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(h.trim()));
    return {
      problem: {
        message: looksLikeData
          ? `the first line looks like data, not a header: the file must start with a header row naming the columns, one of them email (found ${found})`
          : `no email column: the header must name one (email, "Email Address", "E-mail"…); columns found: ${found}`,
      },
    };
  }
  return { columns };
}

/** "Ada Lovelace" → first "Ada", last "Lovelace"; one word is a first name. */
export function splitFullName(full: string): { firstName?: string; lastName?: string } {
  const parts = full.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return {};
  if (parts.length === 1) return { firstName: parts[0] };
  return { firstName: parts[0], lastName: parts.slice(1).join(' ') };
}
