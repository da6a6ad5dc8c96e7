import { beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { type Harness } from '../support/harness.ts';
import { sinkAndHarness } from '../support/sink-harness.ts';

const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };

describe.each(BACKENDS)('the text part of an HTML email on %s', (backend) => {
  const t = sinkAndHarness(backend);
  const { sink } = t;
  let h: Harness;
  beforeEach(() => { ({ h } = t); });

  it('keeps every link\u2019s address, as the tracked link of the HTML part, once for a mailto and never twice', async () => {
    const lead = await h.api('POST', '/api/leads', { email: 'ada@example.net', firstName: 'Ada', ownerId: h.reps[0].id });
    const cadence = await h.api('POST', '/api/cadences', {
      name: 'C', schedule: ALWAYS,
      steps: [{
        type: 'email', subject: 'Demo',
        body: '<p>Hi {{lead.firstName}}, <a href="https://example.com/demo?src=mail&amp;x=1">Book a demo</a>'
          + ' or write to <a href="mailto:rep1@example.com">rep1@example.com</a>.</p>'
          + '<p>Pricing: <a href="https://example.com/pricing">https://example.com/pricing</a></p>',
      }],
    });
    await h.api('POST', `/api/cadences/${cadence.body.id}/activate`);
    await h.api('POST', `/api/cadences/${cadence.body.id}/enrollments`, { recordIds: [lead.body.id] });
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    const [mail] = sink.received;
    const text = mail.parsed.text ?? '';
    const html = typeof mail.parsed.html === 'string' ? mail.parsed.html : '';

    // Each web link in the text points where the HTML part's link does: the click route.
    const demo = /Book a demo \((http:\/\/cadenza\.test\/t\/c\/[^)\s]+)\)/.exec(text);
    expect(demo, text).not.toBeNull();
    expect(html).toContain(`href="${demo![1]}"`);
    const pricing = /https:\/\/example\.com\/pricing \((http:\/\/cadenza\.test\/t\/c\/[^)\s]+)\)/.exec(text);
    expect(pricing, text).not.toBeNull();
    // An address shown as the link's text is not repeated.
    expect(text).toContain('write to rep1@example.com.');
    expect(text).not.toContain('mailto:');

    // Following the text part's link counts a click and lands on the page that was linked.
    const click = await h.app.inject({ method: 'GET', url: demo![1].replace('http://cadenza.test', '') });
    expect(click.statusCode).toBe(302);
    expect(click.headers.location).toBe('https://example.com/demo?src=mail&x=1');
    const followed = await h.app.inject({ method: 'GET', url: pricing![1].replace('http://cadenza.test', '') });
    expect(followed.headers.location).toBe('https://example.com/pricing');
  });

  it('a plain-text body is sent as written', async () => {
    const lead = await h.api('POST', '/api/leads', { email: 'bo@example.net', ownerId: h.reps[0].id });
    const cadence = await h.api('POST', '/api/cadences', {
      name: 'C', schedule: ALWAYS, steps: [{ type: 'email', subject: 'Hi', body: 'See https://example.com/demo\nThanks' }],
    });
    await h.api('POST', `/api/cadences/${cadence.body.id}/activate`);
    await h.api('POST', `/api/cadences/${cadence.body.id}/enrollments`, { recordIds: [lead.body.id] });
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    expect(sink.received[0].parsed.text?.trim()).toBe('See https://example.com/demo\nThanks');
  });
});
