import { describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '@contract/webhooks.ts';
import { deliveryStory, formatSpan, statusCodeText } from './webhook-format.ts';

const NOW = new Date('2026-11-30T10:00:00.000Z');
const base: WebhookDelivery = {
  id: 'd1', messageId: 'msg_1', event: 'email.sent', status: 'pending', attempts: 0, createdAt: '2026-11-30T09:00:00.000Z',
  payload: { type: 'email.sent', timestamp: '2026-11-30T09:00:00.000Z', data: {} },
};
const active = { enabled: true, disabledReason: null, disabledAt: null };

describe('why a delivery is where it is', () => {
  it('counts down to the next attempt and says which one it is', () => {
    expect(deliveryStory({ ...base, attempts: 2, lastStatusCode: 500, nextAttemptAt: '2026-11-30T10:29:00.000Z' }, active, NOW)).toBe('Retrying in 29 min (attempt 3 of 8)');
    expect(deliveryStory({ ...base, attempts: 2, nextAttemptAt: '2026-11-30T09:59:00.000Z' }, active, NOW)).toBe('Retrying now (attempt 3 of 8)');
    expect(deliveryStory({ ...base, nextAttemptAt: '2026-11-30T10:00:00.000Z' }, active, NOW)).toBe('Sending now');
  });

  it('says how long it tried before giving up, or that a 410 ended it', () => {
    expect(deliveryStory({ ...base, status: 'failed', attempts: 8, lastStatusCode: 503, lastAttemptAt: '2026-12-01T12:00:00.000Z' }, active, NOW)).toBe('Gave up after 27 h (8 attempts)');
    expect(deliveryStory({ ...base, status: 'failed', attempts: 1, lastStatusCode: 410, lastAttemptAt: base.createdAt }, active, NOW)).toBe('Gave up: the endpoint answered 410 Gone, so it was disabled');
  });

  it('holds a pending delivery of a disabled endpoint, naming why it is disabled', () => {
    const story = deliveryStory({ ...base, nextAttemptAt: base.createdAt }, { enabled: false, disabledReason: 'disabled by an admin', disabledAt: null }, NOW);
    expect(story).toBe('Held: the endpoint is disabled (disabled by an admin); it is sent once the endpoint is enabled again');
  });

  it('words spans and status codes for people', () => {
    expect([formatSpan(40_000), formatSpan(29 * 60_000), formatSpan(27.4 * 3_600_000), formatSpan(3 * 86_400_000)]).toEqual(['40 s', '29 min', '27 h', '3 days']);
    expect([statusCodeText(410), statusCodeText(599)]).toEqual(['410 Gone', '599']);
  });
});
