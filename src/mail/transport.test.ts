import { describe, expect, it } from 'vitest';
import { SmtpSendError } from './smtp-pool.ts';
import { classifySmtpError } from './transport.ts';

// Shapes of the errors nodemailer 10's SMTPConnection raises, as seen against a real server.
const during = (error: object, messageStarted: boolean) => classifySmtpError(new SmtpSendError(error, messageStarted, false)).kind;
const opening = (error: object) => classifySmtpError(new SmtpSendError(error, false, true)).kind;

describe('classifySmtpError', () => {
  it('a server answer decides: 4xx is retried, 5xx is final', () => {
    expect(during({ message: 'Mailbox busy', code: 'EENVELOPE', responseCode: 450, command: 'RCPT TO' }, false)).toBe('temporary');
    expect(during({ message: 'No such user', code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }, false)).toBe('permanent');
    expect(during({ message: 'Message failed', code: 'EMESSAGE', responseCode: 451, command: 'DATA' }, true)).toBe('temporary');
    expect(during({ message: 'Spam', code: 'EMESSAGE', responseCode: 554, command: 'DATA' }, true)).toBe('permanent');
  });

  it('no session opened, or the login refused: nothing left, so it is retried', () => {
    expect(opening({ message: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ESOCKET', command: 'CONN' })).toBe('temporary');
    expect(opening({ message: 'Greeting never received', code: 'ETIMEDOUT', command: 'CONN' })).toBe('temporary');
    expect(opening({ message: 'getaddrinfo ENOTFOUND smtp.example', code: 'EDNS', command: 'CONN' })).toBe('temporary');
    expect(opening({ message: 'Invalid login: 535 Invalid username or password', code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' })).toBe('temporary');
  });

  it('a line broken before any of the message left is retried', () => {
    expect(during({ message: 'Connection closed unexpectedly', code: 'ECONNECTION', command: 'CONN' }, false)).toBe('temporary');
  });

  it('a line broken once the message started may have delivered: uncertain, never resent', () => {
    expect(during({ message: 'Connection closed unexpectedly', code: 'ECONNECTION', command: 'CONN' }, true)).toBe('uncertain');
    expect(during({ message: 'read ECONNRESET', code: 'ESOCKET', command: 'CONN' }, true)).toBe('uncertain');
    expect(during({ message: 'Timeout', code: 'ETIMEDOUT', command: 'CONN' }, true)).toBe('uncertain');
    expect(during(new Error('something else'), true)).toBe('uncertain');
  });
});
