import { describe, expect, it } from 'vitest';
import { readRejection } from './smtp-answers.ts';

const rcpt = (reply: string) => `Can't send mail - all recipients were rejected: ${reply}`;
const data = (reply: string) => `Message failed: ${reply}`;

describe('readRejection: which 5xx answers bounce the recipient', () => {
  it('a bad mailbox at RCPT or after DATA is the recipient\u2019s, and the reply is kept as the server said it', () => {
    expect(readRejection(rcpt('550 5.1.1 <ada@example.com>: Recipient address rejected: User unknown'))).toEqual({
      target: 'recipient', reply: '550 5.1.1 <ada@example.com>: Recipient address rejected: User unknown',
    });
    expect(readRejection(rcpt('550-5.1.1 The email account that you tried to reach does not exist')).target).toBe('recipient');
    expect(readRejection(data('554 5.1.1 Delivery failed: no such user')).target).toBe('recipient');
    expect(readRejection(rcpt('550 5.2.1 Mailbox disabled, not accepting messages')).target).toBe('recipient');
    expect(readRejection(rcpt('551 5.1.6 User has moved')).target).toBe('recipient');
  });

  it('without an enhanced code, 550, 551 and 553 at RCPT are the recipient\u2019s; the same codes after DATA are not', () => {
    for (const code of [550, 551, 553]) expect(readRejection(rcpt(`${code} No such user here`)).target).toBe('recipient');
    expect(readRejection(rcpt('554 Transaction failed')).target).toBe('sender');
    expect(readRejection(data('550 Rejected')).target).toBe('sender');
  });

  it('answers about us never bounce the lead: policy and spam blocks, auth, our sender address, size, a full mailbox', () => {
    for (const message of [
      rcpt('550 5.7.1 Service unavailable; client host [192.0.2.1] blocked using a DNSBL'),
      data('554 5.7.1 Message rejected as spam'),
      rcpt('530 5.7.0 Authentication required'),
      'Invalid login: 535 5.7.8 Username and Password not accepted',
      'Mail command failed: 550 5.1.8 Sender address rejected: domain not found',
      rcpt('553 5.1.7 The sender address is not valid'),
      data('552 5.3.4 Message size exceeds fixed limit'),
      rcpt('552 5.2.2 Mailbox full'),
      'Connection closed unexpectedly',
      rcpt('450 4.1.1 Try again later'),
    ]) expect(readRejection(message).target, message).toBe('sender');
  });
});
