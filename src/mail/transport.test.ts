import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './transport.ts';

// Shapes of the errors nodemailer 10 raises, as seen against a real server.
describe('classifySmtpError', () => {
  it('a server answer decides: 4xx is retried, 5xx is final', () => {
    expect(classifySmtpError({ message: 'Mailbox busy', code: 'EENVELOPE', responseCode: 450, command: 'RCPT TO' }).kind).toBe('temporary');
    expect(classifySmtpError({ message: 'No such user', code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }).kind).toBe('permanent');
    expect(classifySmtpError({ message: 'Message failed', code: 'EMESSAGE', responseCode: 451, command: 'DATA' }).kind).toBe('temporary');
  });

  it('no session opened: nothing left, so it is retried', () => {
    expect(classifySmtpError({ message: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ESOCKET', command: 'CONN' }).kind).toBe('temporary');
    expect(classifySmtpError({ message: 'Greeting never received', code: 'ETIMEDOUT', command: 'CONN' }).kind).toBe('temporary');
    expect(classifySmtpError({ message: 'getaddrinfo ENOTFOUND smtp.example', code: 'EDNS', command: 'CONN' }).kind).toBe('temporary');
  });

  it('a line broken mid-conversation may have delivered: uncertain, never resent', () => {
    expect(classifySmtpError({ message: 'Connection closed unexpectedly', code: 'ECONNECTION', command: 'CONN' }).kind).toBe('uncertain');
    expect(classifySmtpError({ message: 'read ECONNRESET', code: 'ESOCKET', command: 'CONN' }).kind).toBe('uncertain');
    expect(classifySmtpError({ message: 'Timeout', code: 'ETIMEDOUT', command: 'CONN' }).kind).toBe('uncertain');
    expect(classifySmtpError(new Error('something else')).kind).toBe('uncertain');
  });
});
