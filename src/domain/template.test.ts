import { describe, it, expect } from 'vitest';
import {
  boundMergeValues,
  cacheSizes,
  checkBudget,
  checkTemplate,
  htmlToText,
  renderEmail,
  renderHtml,
  renderText,
  TEMPLATE_LIMITS,
  type MergeContext,
} from './template.ts';
import { timeLimitHits } from './render-limits.ts';

function ctx(lead: Partial<MergeContext['lead']> = {}): MergeContext {
  return {
    lead: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', company: 'Analytical', ...lead },
    owner: { name: 'Grace Hopper', email: 'grace@example.com', firstName: 'Grace' },
    sender: { name: 'Grace H.', email: 'grace@example.com' },
    cadence: { name: 'Q3 outbound' },
  };
}

describe('merge fields', () => {
  it('renders lead, owner, sender and cadence fields', () => {
    expect(
      renderText('Hi {{lead.firstName}} at {{ lead.company }}, {{owner.firstName}} / {{sender.name}} ({{cadence.name}})', ctx()),
    ).toBe('Hi Ada at Analytical, Grace / Grace H. (Q3 outbound)');
  });

  it('renders custom lead fields', () => {
    expect(renderText('{{lead.fields.industry}} / {{lead.fields.seats}}', ctx({ fields: { industry: 'Fintech', seats: 40 } }))).toBe(
      'Fintech / 40',
    );
  });

  it('renders unknown variables and missing custom fields as empty', () => {
    expect(renderText('[{{lead.nope}}][{{foo.bar.baz}}][{{lead.fields.industry}}]', ctx())).toBe('[][][]');
  });

  it('does not expose prototype properties', () => {
    expect(renderText('[{{lead.constructor}}][{{lead.email.length}}]', ctx())).toBe('[][15]');
  });
});

describe('fallbacks', () => {
  for (const [label, firstName] of [
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['blank', '   '],
  ] as const) {
    it(`uses the fallback when the value is ${label}`, () => {
      const c = ctx({ firstName });
      expect(renderText('Hi {{lead.firstName | fallback: "there"}}', c)).toBe('Hi there');
      expect(renderText('Hi {{lead.firstName | default: "there"}}', c)).toBe('Hi there');
    });
  }

  it('keeps a present value', () => {
    expect(renderText('Hi {{lead.firstName | fallback: "there"}}', ctx())).toBe('Hi Ada');
    expect(renderText('Hi {{lead.firstName | default: "there"}}', ctx())).toBe('Hi Ada');
  });

  it('applies to custom fields', () => {
    expect(renderText('{{lead.fields.industry | fallback: "your industry"}}', ctx({ fields: {} }))).toBe('your industry');
  });
});

describe('escaping', () => {
  const evil = ctx({ firstName: '<script>alert(1)</script>', company: 'A & B' });

  it('escapes merge values in HTML but keeps the template markup', () => {
    expect(renderHtml('<p>Hi <b>{{lead.firstName}}</b> of {{lead.company}}</p>', evil)).toBe(
      '<p>Hi <b>&lt;script&gt;alert(1)&lt;/script&gt;</b> of A &amp; B</p>',
    );
  });

  it('escapes the fallback value in HTML too', () => {
    expect(renderHtml('{{lead.phone | fallback: "<none>"}}', ctx())).toBe('&lt;none&gt;');
  });

  it('does not escape in text', () => {
    expect(renderText('Hi {{lead.firstName}} of {{lead.company}}', evil)).toBe('Hi <script>alert(1)</script> of A & B');
  });

  it('does not mix modes in the parse cache', () => {
    const tpl = 'cache-mix {{lead.firstName}}';
    expect(renderHtml(tpl, evil)).toBe('cache-mix &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(renderText(tpl, evil)).toBe('cache-mix <script>alert(1)</script>');
    expect(renderHtml(tpl, evil)).toBe('cache-mix &lt;script&gt;alert(1)&lt;/script&gt;');

    const tpl2 = 'cache-mix-2 {{lead.firstName}}';
    expect(renderText(tpl2, evil)).toBe('cache-mix-2 <script>alert(1)</script>');
    expect(renderHtml(tpl2, evil)).toBe('cache-mix-2 &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('caches parses', () => {
    const tpl = 'cached {{lead.email}}';
    renderText(tpl, ctx());
    const after = cacheSizes().text;
    for (let i = 0; i < 5; i++) renderText(tpl, ctx());
    expect(cacheSizes().text).toBe(after);
  });
});

describe('renderEmail', () => {
  it('turns a plain-text body into escaped HTML with <br> for newlines', () => {
    const out = renderEmail('Hello', 'Hi {{lead.firstName}},\n\nA & B\r\nbye', ctx({ firstName: '<script>' }));
    expect(out.text).toBe('Hi <script>,\n\nA & B\r\nbye');
    expect(out.html).toBe('<html><body>Hi &lt;script&gt;,<br>\n<br>\nA &amp; B<br>\nbye</body></html>');
  });

  it('renders an HTML body as HTML and derives a plain-text version', () => {
    const out = renderEmail(
      'Hello',
      '<p>Hi {{lead.firstName}},</p><p>Line one<br>Line two &amp; more</p>',
      ctx({ firstName: '<script>' }),
    );
    expect(out.html).toBe('<p>Hi &lt;script&gt;,</p><p>Line one<br>Line two &amp; more</p>');
    expect(out.text).toBe('Hi <script>,\n\nLine one\nLine two & more');
  });

  it('collapses newlines in the subject and does not escape it', () => {
    const out = renderEmail('Quick\nquestion, {{lead.firstName}}\r\n  ', 'x', ctx({ firstName: 'A & <B>\nC' }));
    expect(out.subject).toBe('Quick question, A & <B> C');
  });
});

describe('htmlToText', () => {
  it('drops styles and scripts and keeps literal text from entities', () => {
    expect(htmlToText('<style>p{}</style><div>a &lt;b&gt; &#39;c&#39;</div><div>d</div>')).toBe("a <b> 'c'\nd");
  });
});

describe('checkTemplate', () => {
  it('accepts valid templates', () => {
    expect(checkTemplate('Hi {{lead.firstName | fallback: "there"}} {% if lead.company %}at {{lead.company}}{% endif %}')).toBeNull();
  });

  it('rejects an unclosed output and says where', () => {
    const e = checkTemplate('Hi {{ lead.firstName ');
    expect(e?.code).toBe('invalid_template');
    expect(e?.message).toMatch(/not closed/);
    expect(e?.message).toMatch(/line:1, col:4/);
  });

  it('rejects an unknown filter', () => {
    const e = checkTemplate('{{ lead.firstName | shout }}');
    expect(e?.code).toBe('invalid_template');
    expect(e?.message).toMatch(/shout/);
  });

  it('rejects an unclosed tag', () => {
    expect(checkTemplate('{% if lead.company %}x')?.code).toBe('invalid_template');
  });
});

describe('limits', () => {
  it('stops a runaway loop instead of hanging the batch', () => {
    expect(() => renderText('{% for i in (1..100000000) %}{% for j in (1..1000) %}x{% endfor %}{% endfor %}', ctx())).toThrow();
  });

  it('stops a loop that only spends time', () => {
    const nested = '{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}';
    expect(() => renderText(nested, ctx())).toThrow(/render limit exceeded/);
  });

  it('stops an output that grows without end, in text and in HTML', () => {
    const big = ctx({ fields: { chunk: 'x'.repeat(5_000) } });
    const tpl = '{% for i in (1..1000) %}{{lead.fields.chunk}}{% endfor %}';
    expect(() => renderText(tpl, big)).toThrow(/output limit exceeded/);
    expect(() => renderHtml(`<p>${tpl}</p>`, big)).toThrow(/output limit exceeded/);
    expect(renderText('{% for i in (1..10) %}{{lead.fields.chunk}}{% endfor %}', big)).toHaveLength(50_000);
  });

  it('drops NUL characters, which no stored text can hold', () => {
    expect(renderText('a{{ "%00" | url_decode }}b', ctx())).toBe('ab');
  });
});

describe('checkTemplate refuses what cannot render within the limits', () => {
  for (const tpl of [
    '{% for i in (1..100000000) %}x{% endfor %}',
    '{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}',
    '{% for i in (1..100000) %}some text of the body {% endfor %}',
    '<p>{% for i in (1..100000) %}<b>{{lead.firstName}}</b>{% endfor %}</p>',
  ]) {
    it(tpl.slice(0, 60), () => {
      const e = checkTemplate(tpl);
      expect(e?.code).toBe('invalid_template');
      expect(e?.message).toMatch(/cannot be rendered within the limits: .*limit exceeded/);
    });
  }

  it('refuses a loop over ten million at once, on memory: LiquidJS would build the range before its time limit looks', () => {
    expect(checkTemplate('{% for i in (1..9999999) %}{% endfor %}')?.message).toMatch(/memory alloc limit exceeded/);
  });

  it('checks a template with markup as HTML, where escaping makes its output longer', () => {
    const tpl = `<p>{% for i in (1..400) %}{{ "${'&'.repeat(300)}" }}{% endfor %}</p>`;
    expect(renderText(tpl, ctx())).toHaveLength(120_007);
    expect(checkTemplate(tpl)?.message).toMatch(/output limit exceeded/);
  });

  it('shares one budget across a save: once it is spent, templates are accepted unchecked, never refused for it', () => {
    const spent = checkBudget(0);
    const SLOW = '{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}';
    const before = timeLimitHits.check;
    expect(checkTemplate(SLOW, spent)).toBeNull();
    expect(timeLimitHits.check).toBe(before); // not rendered at all
    expect(checkTemplate('Hi {{ lead.firstName ', spent)?.message).toMatch(/not closed/); // parsing is still checked
    // Cut short by what is left of the save's budget, not its own: accepted as well.
    expect(checkTemplate(SLOW, checkBudget(TEMPLATE_LIMITS.checkMs / 2))).toBeNull();
    expect(timeLimitHits.check).toBe(before + 1);
    // With its own budget it is refused, after one render (no second go).
    expect(checkTemplate(SLOW, checkBudget())?.message).toMatch(/render limit exceeded/);
    expect(timeLimitHits.check).toBe(before + 2);
  });

  it('accepts a loop over a custom field, which only a lead can make too long', () => {
    expect(checkTemplate('{% for i in (1..lead.fields.rounds) %}Hi {% endfor %}')).toBeNull();
  });
});

describe('a template that runs out of time for some leads', () => {
  // Only a lead's data makes it slow: the sample lead of the save check has no `rounds`.
  const tpl = '{% for i in (1..lead.fields.rounds) %}{% for j in (1..lead.fields.rounds) %}{% endfor %}{% endfor %}done';

  it('costs the full limit once, then fails fast for the next such leads; leads it handles still render', () => {
    expect(checkTemplate(tpl)).toBeNull();
    const { render, slowRender } = timeLimitHits;
    const slowLead = ctx({ fields: { rounds: 100_000 } });
    expect(() => renderText(tpl, slowLead)).toThrow(/^template render limit exceeded/);
    for (let i = 0; i < 5; i++) {
      expect(() => renderText(tpl, slowLead)).toThrow(/render limit exceeded.*ran out of time for another lead in the last minute/);
    }
    expect(renderText(tpl, ctx({ fields: { rounds: 3 } }))).toBe('done');
    expect(timeLimitHits.render - render).toBe(1);
    expect(timeLimitHits.slowRender - slowRender).toBe(5);
  });
});

describe('boundMergeValues', () => {
  it('cuts long strings and lists and drops deep nesting; small values pass as they are', () => {
    const { valueChars, valueItems } = TEMPLATE_LIMITS;
    const small = { industry: 'Fintech', seats: 40, tags: ['a', 'b'], nested: { a: { b: 1 } }, nothing: null };
    expect(boundMergeValues(small)).toEqual(small);
    const bounded = boundMergeValues({
      notes: 'n'.repeat(valueChars * 3),
      list: Array.from({ length: valueItems * 2 }, (_, i) => i),
      deep: { a: { b: { c: { d: { e: 1 } } } } },
    });
    expect((bounded.notes as string).length).toBe(valueChars);
    expect((bounded.list as number[]).length).toBe(valueItems);
    expect(bounded.deep).toEqual({ a: { b: { c: null } } });
  });

  it('never cuts a character in half', () => {
    const { valueChars } = TEMPLATE_LIMITS;
    const cut = boundMergeValues({ s: `${'x'.repeat(valueChars - 1)}😀😀` }).s as string;
    expect(cut).toBe('x'.repeat(valueChars - 1));
  });
});

describe('no file access', () => {
  for (const tpl of ["{% include '/etc/passwd' %}", "{% render '/etc/passwd' %}", "{% layout '/etc/passwd' %}x"]) {
    it(`refuses ${tpl}`, () => {
      expect(checkTemplate(tpl)?.code).toBe('invalid_template');
      expect(() => renderText(tpl, ctx())).toThrow();
      expect(() => renderHtml(tpl, ctx())).toThrow();
    });
  }
});
