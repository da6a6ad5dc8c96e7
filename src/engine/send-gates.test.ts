import { describe, expect, it } from 'vitest';
import type { ClaimedEmail, SendGate } from '../store/email.repository.ts';
import { freshlyCounted, sortByGates, type Usage } from './send-gates.ts';

const email = (id: string, senderId: string | null = 'rep'): ClaimedEmail => ({
  id, sender_id: senderId, attempts: 0, message_id: `<${id}@x>`, token: id, from_email: 'rep@x.test', from_name: null,
  to_email: `${id}@y.test`, subject: 'Hi', html: '', text: '', in_reply_to: null, refs: [], first_failed_at: null,
});
const gate = (emailId: string, over: Partial<SendGate> = {}): SendGate => ({
  emailId, block: null, smtpUrl: null, dailyLimit: null, hourlyLimit: null, usage: null, minIntervalSeconds: 0, ...over,
});

describe('sortByGates', () => {
  it('cancels blocked emails by reason, sends the uncapped to their server, and skips an email without a gate', () => {
    const claimed = [email('a'), email('b'), email('c'), email('d', null), email('gone')];
    const gates = new Map([
      ['a', gate('a', { block: 'unsubscribed' })],
      ['b', gate('b', { block: 'enrollment_ended' })],
      ['c', gate('c', { smtpUrl: 'smtp://rep.example' })],
      ['d', gate('d', { dailyLimit: 0 })],
    ]);
    const { blocked, deferred, ready } = sortByGates(claimed, gates, new Map(), 'smtp://default', 0);
    expect(Object.fromEntries(blocked)).toEqual({ unsubscribed: ['a'], enrollment_ended: ['b'] });
    expect(deferred).toEqual([]);
    // No sender, no cap to count: d goes to the default server despite its limit.
    expect(ready.map((r) => [r.email.id, r.smtpUrl])).toEqual([['c', 'smtp://rep.example'], ['d', 'smtp://default']]);
  });

  it('defers what goes over a cap, counting what this run admitted beside what the database counted', () => {
    const claimed = [email('a'), email('b'), email('c')];
    const capped = { dailyLimit: 5, hourlyLimit: null, usage: { day: 3, hour: 3 } };
    const gates = new Map(claimed.map((e) => [e.id, gate(e.id, capped)] as const));
    const usage: Usage = new Map();
    const first = sortByGates(claimed, gates, usage, null, 1000);
    expect(first.ready.map((r) => r.email.id)).toEqual(['a', 'b']);
    expect(first.deferred).toEqual(['c']);
    // The next batch, with the database still counting 3 (ours not yet `sending`): the run's own count wins.
    const next = sortByGates([email('d')], new Map([['d', gate('d', capped)]]), usage, null, 1200);
    expect(next.deferred).toEqual(['d']);
    expect(usage.get('rep')).toMatchObject({ day: 5, hour: 5 });
  });
});

describe('freshlyCounted', () => {
  it('names the senders counted within the last second', () => {
    const usage: Usage = new Map([['old', { day: 1, hour: 1, countedAt: 0 }], ['new', { day: 1, hour: 1, countedAt: 900 }]]);
    expect(freshlyCounted(usage, 1500)).toEqual(['new']);
  });
});
