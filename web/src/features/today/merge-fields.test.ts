import { describe, expect, it } from 'vitest';
import { fieldDescription, printsField, stillMissing } from './merge-fields.ts';

describe('merge fields still missing in an edited draft', () => {
  it('counts a tag as printed unless a fallback or default replaces it', () => {
    expect(printsField('Hi {{ lead.company }}', 'lead.company')).toBe(true);
    expect(printsField('Hi {{lead.company}}', 'lead.company')).toBe(true);
    expect(printsField('Hi {{- lead.company | upcase -}}', 'lead.company')).toBe(true);
    expect(printsField('Hi {{ lead.company | fallback: "there" }}', 'lead.company')).toBe(false);
    expect(printsField('Hi {{ lead.company | default: "there" }}', 'lead.company')).toBe(false);
    expect(printsField('Hi Acme', 'lead.company')).toBe(false);
    expect(printsField('Hi {{ lead.companyName }}', 'lead.company')).toBe(false);
  });

  it('says where each field is still printed', () => {
    expect(stillMissing(['lead.company', 'lead.firstName'], { subject: 'For {{ lead.company }}', body: 'Hi {{ lead.company }}' }))
      .toEqual([{ field: 'lead.company', in: ['subject', 'body'] }]);
  });

  it('names fields for people', () => {
    expect(fieldDescription('lead.firstName')).toBe('the lead’s first name');
    expect(fieldDescription('owner.name')).toBe('your name');
    expect(fieldDescription('weird')).toBe('weird');
  });
});
