import { describe, expect, it } from 'vitest';
import { customFieldPath, MERGE_FIELDS, unknownMergeFields } from './merge-fields.ts';

describe('merge fields a lead can have', () => {
  it('accepts the standard fields, custom fields, and what a template defines itself', () => {
    expect(unknownMergeFields(
      '{{lead.firstName}} {{ lead.fullName | fallback: lead.email }} {{lead.fields.industry}} {{lead.fields["annual revenue"]}} '
      + '{{owner.firstName}} {{sender.email}} {{cadence.name}} {% if lead.company %}{{lead.company}}{% endif %} '
      + '{% assign n = lead.firstName | upcase %}{{n}} {% for t in lead.fields.tags %}{{t}}{{forloop.index}}{% endfor %} '
      + '{% capture c %}x{% endcapture %}{{c}} {{lead.firstName.size}}',
    )).toEqual([]);
  });

  it('names each unknown field once, with the closest known one', () => {
    const found = unknownMergeFields('Hi {{lead.frstName}} {{lead.frstName}} {{ lead.firstname }} {{ownr.name}} {{ firstName }} {{lead.zzzzzz}}');
    expect(found).toHaveLength(5);
    expect(found).toEqual(expect.arrayContaining([
      { field: 'lead.frstName', suggestion: 'lead.firstName' },
      { field: 'lead.firstname', suggestion: 'lead.firstName' },
      { field: 'ownr.name', suggestion: 'owner.name' },
      { field: 'firstName', suggestion: 'lead.firstName' },
      { field: 'lead.zzzzzz' },
    ]));
  });

  it('leaves a template that does not parse to the template check', () => {
    expect(unknownMergeFields('{{ lead.frstName ')).toEqual([]);
  });

  it('lists every standard field with a label and an example, and custom fields by a path Liquid reads', () => {
    expect(MERGE_FIELDS.map((f) => f.field)).toEqual([
      'lead.firstName', 'lead.lastName', 'lead.fullName', 'lead.email', 'lead.company', 'lead.phone', 'lead.status',
      'owner.name', 'owner.email', 'owner.firstName', 'sender.name', 'sender.email', 'cadence.name',
    ]);
    for (const f of MERGE_FIELDS) expect(f.label.length * f.example.length).toBeGreaterThan(0);
    expect(customFieldPath('industry')).toBe('lead.fields.industry');
    expect(customFieldPath('annual revenue')).toBe('lead.fields["annual revenue"]');
  });
});
