import { describe, expect, it } from 'vitest';
import { renderDraft } from './merge-draft.ts';
import { renderHtml, renderText, type MergeContext } from './template.ts';

const ctx = (company: string, firstName: string | null = 'Ada'): MergeContext => ({
  lead: { email: 'ada@example.com', firstName, company },
  owner: { name: 'Rob Rep', email: 'rob@example.com' },
});

describe('a manual email draft sent back unchanged', () => {
  it('says what the draft said, even when a lead value looks like a merge field', () => {
    const lead = ctx('{{ owner.email }} & {% if true %}x{% endif %}');
    const draft = renderDraft('Hi {{ lead.firstName }} at {{ lead.company }}', 'text', lead);
    expect(draft.missing).toEqual([]);
    expect(renderText(draft.output, lead)).toBe('Hi Ada at {{ owner.email }} & {% if true %}x{% endif %}');
  });

  it('keeps an html draft escaped and literal too', () => {
    const lead = ctx('<b>{{ lead.email }}</b>');
    const draft = renderDraft('<p>{{ lead.company }}</p>', 'html', lead);
    expect(renderHtml(draft.output, lead)).toBe('<p>&lt;b&gt;{{ lead.email }}&lt;/b&gt;</p>');
  });

  it('leaves a missing field as its tag, so the send is refused for it', () => {
    const lead = ctx('Acme', null);
    const draft = renderDraft('Hi {{ lead.firstName }} of {{ lead.company }}', 'text', lead);
    expect(draft.missing).toEqual(['lead.firstName']);
    expect(renderDraft(draft.output, 'text', lead).missing).toEqual(['lead.firstName']);
  });
});
