/**
 * The real SMTP sink of the server tests (test/support/smtp-sink.ts), started by the
 * global setup, with what it received readable over HTTP: the tests run in Playwright's
 * worker processes, the sink in the runner's. `receivedMail()` reads and parses it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SmtpSink } from '../../../test/support/smtp-sink.ts';

export interface MailSink {
  smtpUrl: string;
  /** GET → every message received so far: `[{ envelope, raw }]`. */
  httpUrl: string;
  stop(): Promise<void>;
}

export async function startMailSink(): Promise<MailSink> {
  const sink = new SmtpSink();
  const smtpUrl = await sink.start();
  const http: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(sink.received.map((m) => ({ envelope: m.envelope, raw: m.raw.toString('utf8') }))));
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  const httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
  return {
    smtpUrl,
    httpUrl,
    async stop() {
      await new Promise<void>((ok) => http.close(() => ok()));
      await sink.stop();
    },
  };
}

export interface Received {
  envelope: { from: string; to: string[] };
  raw: string;
  parsed: ParsedMail;
}

/** Everything the sink has received, parsed: the global setup's (`E2E_MAIL_URL`), or the one at `url`. */
export async function receivedMail(url = process.env.E2E_MAIL_URL): Promise<Received[]> {
  if (!url) throw new Error('E2E_MAIL_URL is not set: run through playwright.config.ts (its global setup starts the sink)');
  const items = (await (await fetch(url)).json()) as Array<{ envelope: Received['envelope']; raw: string }>;
  return Promise.all(items.map(async (m) => ({ ...m, parsed: await simpleParser(m.raw) })));
}
