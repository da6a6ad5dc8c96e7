import { describe, it, expect } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { buildMailOptions, composeRaw, type OutgoingMessage } from './compose.ts';

const base: OutgoingMessage = {
  messageId: '<3f1c2a9e-7d7b-4c1e-9a55-0c2b6f0e1d11@cadenza.local>',
  from: { email: 'rep@acme.example', name: 'Rita Rep' },
  to: 'ann@customer.example',
  subject: 'Quick question about Grüße & pricing',
  html: '<p>Hi Ann, <a href="https://t.acme.example/c/1/0">pricing</a></p>',
  text: 'Hi Ann, pricing (https://t.acme.example/c/1/0)',
  unsubscribeUrl: 'https://app.acme.example/u/tok_abc123',
  emailId: 'em_42',
};

// The raw header value as written, unfolded (RFC 5322 §2.2.3).
function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}

describe('composeRaw', () => {
  it('writes identity, unsubscribe and tracking headers and both bodies', async () => {
    const raw = await composeRaw(base);
    const mail = await simpleParser(raw);

    expect(mail.messageId).toBe(base.messageId);
    expect(mail.from?.value).toEqual([{ address: 'rep@acme.example', name: 'Rita Rep' }]);
    expect(mail.to).toMatchObject({ value: [{ address: 'ann@customer.example' }] });
    expect(mail.subject).toBe(base.subject);
    expect(rawHeader(mail, 'List-Unsubscribe')).toBe('<https://app.acme.example/u/tok_abc123>');
    expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(rawHeader(mail, 'X-Cadenza-Email-Id')).toBe('em_42');
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(mail.text?.trim()).toBe(base.text);
    expect(mail.html).toBe(base.html);
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.references).toBeUndefined();
  });

  it('threads a follow-up with In-Reply-To and References', async () => {
    const first = '<a1@cadenza.local>';
    const second = '<a2@cadenza.local>';
    const mail = await simpleParser(
      await composeRaw({ ...base, subject: 'Re: Quick question', inReplyTo: second, references: [first, second] }),
    );
    expect(rawHeader(mail, 'In-Reply-To')).toBe(second);
    expect(rawHeader(mail, 'References')).toBe(`${first} ${second}`);
    expect(mail.messageId).toBe(base.messageId);
  });

  it('uses the bare address when the sender has no name', async () => {
    const mail = await simpleParser(await composeRaw({ ...base, from: { email: 'rep@acme.example', name: null } }));
    expect(rawHeader(mail, 'From')).toBe('rep@acme.example');
  });
});

describe('buildMailOptions', () => {
  it('leaves threading out of a first message', () => {
    const opts = buildMailOptions({ ...base, inReplyTo: null, references: [] });
    expect(opts).not.toHaveProperty('inReplyTo');
    expect(opts).not.toHaveProperty('references');
    expect(opts.messageId).toBe(base.messageId);
  });
});
