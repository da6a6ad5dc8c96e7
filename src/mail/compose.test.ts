import { describe, it, expect } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
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
    const raw = composeRaw(base);
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
      composeRaw({ ...base, subject: 'Re: Quick question', inReplyTo: second, references: [first, second] }),
    );
    expect(rawHeader(mail, 'In-Reply-To')).toBe(second);
    expect(rawHeader(mail, 'References')).toBe(`${first} ${second}`);
    expect(mail.messageId).toBe(base.messageId);
  });

  it('uses the bare address when the sender has no name', async () => {
    const mail = await simpleParser(composeRaw({ ...base, from: { email: 'rep@acme.example', name: null } }));
    expect(rawHeader(mail, 'From')).toBe('rep@acme.example');
  });

  it('writes what nodemailer\'s streaming build() writes, whatever the content', async () => {
    // Pieces that pick every path: plain ASCII (7bit), accents (quoted-printable), mostly
    // non-Latin (base64), long lines, trailing whitespace, bare LF and CRLF, an empty body.
    const pieces = ['Hi', ' ', '  ', '\t', '\n', '\r\n', 'é', 'Zoë', '😀', '中文字', '=', '.', '<a href="https://x.example/?a=1&b=2">', 'x'.repeat(90), 'ü'.repeat(40), ' \n'];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const text = (n: number) => Array.from({ length: n }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    // Fixed boundary and date: the two things build() would otherwise make up each time.
    const fixed = { baseBoundary: 'b0undary', date: new Date('2026-03-29T01:30:00Z') };
    const seen = (mail: ParsedMail) => ({ ...mail, headers: [...mail.headers], headerLines: mail.headerLines.map((h) => h.line.replace(/\r?\n[ \t]+/g, ' ')) });
    for (let i = 0; i < 300; i++) {
      const msg: OutgoingMessage = {
        ...base,
        from: { email: 'rep@acme.example', name: i % 3 === 0 ? null : text(i % 5) },
        subject: text(i % 17),
        html: i % 11 === 0 ? '' : text(i % 50),
        text: i % 13 === 0 ? '' : text(i % 40),
        inReplyTo: i % 2 ? '<a2@cadenza.local>' : null,
        references: i % 2 ? ['<a1@cadenza.local>', '<a2@cadenza.local>'] : [],
      };
      const ours = composeRaw(msg, fixed);
      const streamed = await new MailComposer({ ...buildMailOptions(msg), ...fixed }).compile().build();
      // Bare line feeds in a quoted-printable body may be soft-wrapped at other places by
      // the streaming encoder, which wraps chunk by chunk; the message reads the same.
      if (!/(^|[^\r])\n/.test(msg.html + msg.text)) expect(ours.toString('latin1'), `message ${i}`).toBe(streamed.toString('latin1'));
      expect(seen(await simpleParser(ours)), `message ${i}`).toEqual(seen(await simpleParser(streamed)));
      for (const line of ours.toString('latin1').split('\r\n')) expect(line.length, `message ${i}: ${line}`).toBeLessThanOrEqual(998);
    }
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
