import { generateKeyPairSync } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.ts';
import { verifyDkim } from '../support/dkim-verifier.ts';
import { type Harness } from '../support/harness.ts';
import { sinkAndHarness } from '../support/sink-harness.ts';

const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', timezone: 'UTC' };
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const DNS = { 's2026._domainkey.example.com': rsa.publicKey };

describe.each(BACKENDS)('DKIM-signed mail per mailbox on %s', (backend) => {
  const t = sinkAndHarness(backend);
  const { sink } = t;
  let h: Harness;
  beforeEach(() => { ({ h } = t); });

  const mailboxUrl = () => `/api/users/${h.reps[0].id}/mailbox`;
  const putDkim = (dkim: unknown, as?: string) => h.api('PUT', mailboxUrl(), { fromEmail: 'rep1@example.com', fromName: 'Rep One', dkim }, as);

  async function sendCadenceEmail(to: string) {
    const lead = await h.api('POST', '/api/leads', { email: to, firstName: 'Lin', ownerId: h.reps[0].id });
    const cadence = await h.api('POST', '/api/cadences', {
      name: 'C', schedule: ALWAYS,
      steps: [{ type: 'email', subject: 'Hello {{lead.firstName}}', body: '<p>Hi {{lead.firstName}}, <a href="https://example.com/demo">Book a demo</a></p>' }],
    });
    await h.api('POST', `/api/cadences/${cadence.body.id}/activate`);
    await h.api('POST', `/api/cadences/${cadence.body.id}/enrollments`, { recordIds: [lead.body.id] });
    await h.api('POST', '/api/dev/clock', { advance: 'PT1M' });
    const got = sink.received.find((m) => m.envelope.to.includes(to));
    expect(got, `a message to ${to} reached the SMTP server`).toBeDefined();
    return got!;
  }

  it('signs every cadence email with the mailbox\u2019s key: an independent verifier passes it, and fails it once the body is changed', async () => {
    const put = await putDkim({ domain: 'Example.com', selector: 's2026', privateKey: PRIVATE_PEM });
    expect(put.status).toBe(200);
    expect(put.body.dkim).toEqual({ domain: 'example.com', selector: 's2026', configured: true });
    expect(JSON.stringify(put.body)).not.toContain('PRIVATE KEY');

    const received = await sendCadenceEmail('lin@example.net');
    expect(received.raw.toString('utf8')).toMatch(/^DKIM-Signature: .*d=example\.com/m);
    expect(await verifyDkim(received.raw, DNS)).toEqual([expect.objectContaining({ domain: 'example.com', selector: 's2026', result: 'pass' })]);

    // One word of the body changed on the way: the body hash no longer matches.
    const tampered = Buffer.from(received.raw.toString('utf8').replace('Book a demo', 'Book a deal'));
    expect(tampered.equals(received.raw)).toBe(false);
    // mailauth says `neutral` for a body hash that does not match (RFC 6376 §6.1.3: the signature does not verify).
    expect(await verifyDkim(tampered, DNS)).toEqual([expect.objectContaining({ result: 'neutral', comment: 'body hash did not verify' })]);
    // A signed header changed: the signature itself fails.
    const retitled = Buffer.from(received.raw.toString('utf8').replace(/^Subject: .*$/m, 'Subject: Hello Bob'));
    expect((await verifyDkim(retitled, DNS))[0].result).toBe('fail');
    // A key the DNS does not publish: not verified either.
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect((await verifyDkim(received.raw, { 's2026._domainkey.example.com': other }))[0].result).not.toBe('pass');
  });

  it('a mailbox without a key sends unsigned mail, and another rep\u2019s key signs only that rep\u2019s mail', async () => {
    await h.api('PUT', `/api/users/${h.reps[1].id}/mailbox`, {
      fromEmail: 'rep2@example.com', dkim: { domain: 'example.com', selector: 's2026', privateKey: PRIVATE_PEM },
    });
    const received = await sendCadenceEmail('kim@example.net');
    expect(received.raw.toString('utf8')).not.toMatch(/^DKIM-Signature:/m);
    expect(await verifyDkim(received.raw, DNS)).toEqual([expect.objectContaining({ result: 'none' })]);
  });

  it('GET then PUT of the mailbox as answered keeps the private key; null removes it', async () => {
    await putDkim({ domain: 'example.com', selector: 's2026', privateKey: PRIVATE_PEM });
    const shown = await h.api('GET', mailboxUrl());
    expect(shown.body.dkim).toEqual({ domain: 'example.com', selector: 's2026', configured: true });
    expect(JSON.stringify(shown.body)).not.toContain('PRIVATE KEY');
    // The whole answer back as it is (what a settings form does), and a PUT that leaves dkim out.
    expect((await h.api('PUT', mailboxUrl(), shown.body)).status).toBe(200);
    expect((await h.api('PUT', mailboxUrl(), { ...shown.body, dkim: undefined, fromName: 'Renamed' })).body.dkim).toEqual(shown.body.dkim);
    const received = await sendCadenceEmail('ana@example.net');
    expect((await verifyDkim(received.raw, DNS))[0].result).toBe('pass');

    const removed = await putDkim(null);
    expect(removed.body.dkim).toBeNull();
    expect((await h.api('GET', mailboxUrl())).body.dkim).toBeNull();
  });

  it('the test email from the settings is signed too', async () => {
    await putDkim({ domain: 'example.com', selector: 's2026', privateKey: PRIVATE_PEM });
    const res = await h.api('POST', `/api/users/${h.reps[0].id}/mailbox/test`, { to: 'check@example.net' });
    expect(res.body).toMatchObject({ ok: true });
    const received = sink.received.find((m) => m.envelope.to.includes('check@example.net'))!;
    expect(await verifyDkim(received.raw, DNS)).toEqual([expect.objectContaining({ domain: 'example.com', result: 'pass' })]);
  });

  it('refuses a key that cannot sign, a bad domain or selector, and a rep setting its own key, writing nothing', async () => {
    await putDkim({ domain: 'example.com', selector: 's2026', privateKey: PRIVATE_PEM });
    const before = (await h.api('GET', mailboxUrl())).body;
    const ed25519 = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const short = generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const cases: Array<[unknown, string]> = [
      [{ domain: 'example.com', selector: 's1', privateKey: 'not a key' }, 'body.dkim.privateKey'],
      [{ domain: 'example.com', selector: 's1', privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }, 'body.dkim.privateKey'],
      [{ domain: 'example.com', selector: 's1', privateKey: ed25519 }, 'body.dkim.privateKey'],
      [{ domain: 'example.com', selector: 's1', privateKey: short }, 'body.dkim.privateKey'],
      [{ domain: 'example.com', selector: 's1', privateKey: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString() }, 'body.dkim.privateKey'],
      [{ domain: 'example.com', selector: 's1', privateKey: 'x'.repeat(10_001) }, 'body.dkim.privateKey'],
      [{ domain: 'not a domain', selector: 's1' }, 'body.dkim.domain'],
      [{ domain: '-bad.example.com', selector: 's1' }, 'body.dkim.domain'],
      [{ domain: 'example.com', selector: 'a b' }, 'body.dkim.selector'],
      [{ domain: 'example.com' }, 'body.dkim.selector'],
    ];
    for (const [dkim, path] of cases) {
      const res = await putDkim(dkim);
      expect(res.status, JSON.stringify(dkim).slice(0, 80)).toBe(400);
      expect(JSON.stringify(res.body.error)).toContain(path);
    }
    expect((await h.api('GET', mailboxUrl())).body).toEqual(before);

    // A mailbox without a key yet must be given one.
    const res = await h.api('PUT', `/api/users/${h.reps[1].id}/mailbox`, { fromEmail: 'rep2@example.com', dkim: { domain: 'example.com', selector: 's1' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('body.dkim.privateKey');
    expect((await h.api('GET', `/api/users/${h.reps[1].id}/mailbox`)).body.dkim).toBeNull();

    // A rep sends back what it was shown, but may not set or change a key.
    const rep = h.reps[0].token;
    expect((await h.api('PUT', mailboxUrl(), { ...before, fromName: 'Me' }, rep)).status).toBe(200);
    const refused = await putDkim({ domain: 'example.com', selector: 'other', privateKey: PRIVATE_PEM }, rep);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('body.dkim');
    expect((await h.api('GET', mailboxUrl())).body.dkim).toEqual(before.dkim);
  });
});
