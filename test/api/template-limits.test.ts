import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, createCadence, expectFieldError } from './helpers.ts';
import { TEMPLATE_LIMITS, timeLimitHits } from '../../src/domain/render-limits.ts';

/** Templates are test-rendered when a cadence is saved: one that cannot render within the limits is a 400 naming its field. */
describe('a template over the render limits is refused when saved', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('pglite');
  });
  afterAll(() => h.close());

  const RUNAWAY = '{% for i in (1..100000000) %}x{% endfor %}';
  const SLOW = '{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}';
  const HUGE = '<p>{% for i in (1..100000) %}<b>{{lead.firstName}}</b> {% endfor %}</p>';
  const email = (extra: Record<string, unknown> = {}) => ({ type: 'email', subject: 'Hello', body: 'Hi', ...extra });

  for (const [label, field, body] of [
    ['a body whose loop asks for too much memory', 'steps.1.body', { steps: [{ type: 'call', title: 'Call' }, email({ body: RUNAWAY })] }],
    ['a subject that renders for too long', 'steps.0.subject', { steps: [email({ subject: SLOW })] }],
    ['an HTML body that renders too much', 'steps.0.body', { steps: [email({ body: HUGE })] }],
    ['a task title', 'steps.0.title', { steps: [{ type: 'task', title: RUNAWAY }] }],
    ['call instructions', 'steps.0.instructions', { steps: [{ type: 'call', instructions: RUNAWAY }] }],
    ['a boost\u2019s email body', 'boosts.0.action.body', {
      steps: [email()],
      boosts: [{ on: 'clicked', stepIndex: 0, action: { type: 'email', subject: 'More', body: RUNAWAY } }],
    }],
  ] as const) {
    it(`POST refuses ${label}`, async () => {
      const res = await h.api('POST', '/api/cadences', { name: 'Limits', ...body });
      expectFieldError(res, field);
      expect(res.body.error.message).toMatch(/cannot be rendered within the limits: .*limit exceeded/);
    });
  }

  it('PATCH refuses it too, and leaves the cadence as it was', async () => {
    const cadence = await createCadence(h, { name: 'Patched', schedule: ALWAYS_OPEN, steps: [email()] });
    const res = await h.api('PATCH', `/api/cadences/${cadence.id}`, { steps: [{ ...email(), id: cadence.steps[0].id, body: RUNAWAY }] });
    expectFieldError(res, 'steps.0.body');
    const after = (await h.api('GET', `/api/cadences/${cadence.id}`)).body;
    expect(after.version).toBe(cadence.version);
    expect(after.steps[0].body).toBe('Hi');
  });

  it('a save of twenty slow templates is checked within one bounded budget: refused, naming the first, each rendered at most once', async () => {
    const before = timeLimitHits.check;
    const res = await h.api('POST', '/api/cadences', {
      name: 'Twenty loops', steps: Array.from({ length: 20 }, () => ({ type: 'call', title: 'Call', instructions: SLOW })),
    });
    expectFieldError(res, 'steps.0.instructions');
    expect(res.body.error.message).toMatch(/render limit exceeded/);
    // Each render that ran out of time spent at least a template's own budget of the save's:
    // so few renders in all, and none twice.
    const rendered = timeLimitHits.check - before;
    expect(rendered).toBeGreaterThanOrEqual(1);
    expect(rendered).toBeLessThanOrEqual(Math.ceil(TEMPLATE_LIMITS.saveCheckMs / TEMPLATE_LIMITS.checkMs));
    const get = await h.api('GET', '/api/cadences');
    expect(JSON.stringify(get.body)).not.toContain('Twenty loops');
  });

  it('accepts a loop bounded by a lead\u2019s field: only that lead\u2019s enrolment can fail on it', async () => {
    const res = await h.api('POST', '/api/cadences', { name: 'Loops', steps: [email({ body: '{% for i in (1..lead.fields.rounds) %}Hi {% endfor %}' })] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});
