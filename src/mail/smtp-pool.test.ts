import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SINK_USER, SmtpSink } from '../../test/support/smtp-sink.ts';
import { SmtpPool, SmtpSendError, type SmtpPoolOptions } from './smtp-pool.ts';
import { classifySmtpError } from './transport.ts';

const sink = new SmtpSink();
const pools: SmtpPool[] = [];
beforeAll(() => sink.start());
afterAll(() => {
  for (const pool of pools) pool.close();
  return sink.stop();
});
beforeEach(() => {
  sink.received.length = 0;
  sink.faults.clear();
  sink.dropConnections();
});

function pool(options: Partial<SmtpPoolOptions> = {}): SmtpPool {
  const p = new SmtpPool({ host: '127.0.0.1', port: sink.port, ignoreTLS: true, maxConnections: 2, ...options });
  pools.push(p);
  return p;
}

const message = (to: string) => ({
  envelope: { from: 'rep@acme.test', to: [to] },
  raw: Buffer.from(`From: rep@acme.test\r\nTo: ${to}\r\nSubject: Hello\r\nMessage-ID: <${to}.${Math.random()}@acme.test>\r\n\r\nHi there.\r\n`),
});
const send = (p: SmtpPool, to: string) => { const m = message(to); return p.send(m.envelope, m.raw); };
const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(SmtpSendError);
  return error as SmtpSendError;
};

describe('SmtpPool', () => {
  it('sends every message, over no more connections than allowed, and keeps them open', async () => {
    const before = sink.connections;
    const p = pool({ maxConnections: 3 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => send(p, `lead${i}@example.com`)));
    await send(p, 'one-more@example.com');
    expect(sink.received.map((m) => m.envelope.to[0]).sort()).toEqual(
      [...Array.from({ length: 20 }, (_, i) => `lead${i}@example.com`), 'one-more@example.com'].sort(),
    );
    expect(sink.connections - before).toBe(3);
  });

  it('opens a fresh connection after maxMessages on one', async () => {
    const before = sink.connections;
    const p = pool({ maxConnections: 1, maxMessages: 2 });
    for (let i = 0; i < 5; i++) await send(p, `lead${i}@example.com`);
    expect(sink.received).toHaveLength(5);
    expect(sink.connections - before).toBe(3);
  });

  it('a refused recipient fails that message only; the connection goes on', async () => {
    const before = sink.connections;
    const p = pool({ maxConnections: 1 });
    sink.faults.set('nobody@example.com', { reply: 550, message: 'No such user here' });
    const error = await failure(send(p, 'nobody@example.com'));
    expect(classifySmtpError(error).kind).toBe('permanent');
    await send(p, 'lead@example.com');
    expect(sink.received.map((m) => m.envelope.to)).toEqual([['lead@example.com']]);
    expect(sink.connections - before).toBe(1);
  });

  it('a kept-open connection the server cut before the message goes once more over a fresh one', async () => {
    const p = pool({ maxConnections: 1 });
    await send(p, 'first@example.com');
    sink.faults.set('second@example.com', 'drop-at-rcpt-once');
    await send(p, 'second@example.com');
    expect(sink.received.map((m) => m.envelope.to[0])).toEqual(['first@example.com', 'second@example.com']);
  });

  it('after the server closed its idle connections, the next message still goes out', async () => {
    const p = pool({ maxConnections: 2 });
    await Promise.all([send(p, 'a@example.com'), send(p, 'b@example.com')]);
    sink.dropConnections();
    await Promise.all([send(p, 'c@example.com'), send(p, 'd@example.com')]);
    expect(sink.received.map((m) => m.envelope.to[0]).sort()).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']);
  });

  it('a line cut before the message on a new connection is retried later, not in doubt', async () => {
    sink.faults.set('lead@example.com', 'drop-at-rcpt-once');
    const error = await failure(send(pool(), 'lead@example.com'));
    expect(error.messageStarted).toBe(false);
    expect(classifySmtpError(error).kind).toBe('temporary');
    expect(sink.received).toHaveLength(0);
  });

  it('a line cut after the message data is in doubt', async () => {
    sink.faults.set('lead@example.com', 'drop-after-data');
    const error = await failure(send(pool(), 'lead@example.com'));
    expect(error.messageStarted).toBe(true);
    expect(classifySmtpError(error).kind).toBe('uncertain');
  });

  it('logs in when given an account, and a refused login is retried later', async () => {
    await send(pool({ auth: SINK_USER }), 'lead@example.com');
    expect(sink.received.map((m) => m.user)).toEqual(['rep']);
    const error = await failure(send(pool({ auth: { user: 'rep', pass: 'wrong' } }), 'other@example.com'));
    expect(error.inSession).toBe(true);
    expect(error.message).toMatch(/535/);
    expect(classifySmtpError(error).kind).toBe('temporary');
  });

  it('a server that cannot be reached is retried later', async () => {
    const error = await failure(send(pool({ port: 1 }), 'lead@example.com'));
    expect(error.inSession).toBe(true);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(classifySmtpError(error).kind).toBe('temporary');
  });

  /**
   * Starts a gated send to lead@example.com and waits until its envelope is done, then
   * sends a whole other message over a second connection: by then a message that
   * ignored its gate would have arrived.
   */
  async function gatedSendUnderWay(p: SmtpPool) {
    const m = message('lead@example.com');
    let open = (_: boolean) => {};
    const gate = new Promise<boolean>((resolve) => (open = resolve));
    const envelopeDone = sink.dataOpened('lead@example.com');
    const sending = p.send(m.envelope, m.raw, gate);
    await envelopeDone;
    await send(p, 'other@example.com');
    return { sending, open };
  }

  it('with a gate, the envelope goes ahead but the message waits until the gate opens', async () => {
    const { sending, open } = await gatedSendUnderWay(pool({ maxConnections: 2 }));
    expect(sink.received.map((r) => r.envelope.to)).toEqual([['other@example.com']]);
    open(true);
    expect(await sending).toBe(true);
    expect(sink.received.map((r) => r.envelope.to)).toEqual([['other@example.com'], ['lead@example.com']]);
  });

  it('a gate that closes ends the conversation before any of the message left: nothing is sent', async () => {
    const p = pool({ maxConnections: 2 });
    const { sending, open } = await gatedSendUnderWay(p);
    open(false);
    expect(await sending).toBe(false);
    // The connection left mid-DATA is closed, not reused; the pool goes on.
    await Promise.all([send(p, 'next@example.com'), send(p, 'last@example.com')]);
    expect(sink.received.map((r) => r.envelope.to[0]).sort()).toEqual(['last@example.com', 'next@example.com', 'other@example.com']);
  });

  it('once closed, refuses to send', async () => {
    const p = pool();
    await send(p, 'lead@example.com');
    p.close();
    expect((await failure(send(p, 'late@example.com'))).message).toMatch(/closed/);
  });
});
