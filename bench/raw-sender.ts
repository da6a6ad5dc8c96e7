/**
 * The raw-nodemailer baseline as its own process, on the same footing as a Cadenza
 * worker: reads the messages from the JSON file named by RAW_MESSAGES, prepares them
 * (mail options, or composed bytes when RAW_PREBUILT=1), says it is ready, and on
 * "go" sends them all over a pool of RAW_CONNECTIONS to RAW_SMTP_URL.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import nodemailer from 'nodemailer';
import { buildMailOptions, composeRaw, type OutgoingMessage } from '../src/mail/compose.ts';
import { timed } from './timed.ts';

const messages = JSON.parse(readFileSync(process.env.RAW_MESSAGES!, 'utf8')) as Array<{ envelope: { from: string; to: string[] }; message: OutgoingMessage }>;
const connections = Number(process.env.RAW_CONNECTIONS);
const port = Number(new URL(process.env.RAW_SMTP_URL!).port);
const mails = process.env.RAW_PREBUILT === '1'
  ? messages.map((m) => ({ envelope: m.envelope, raw: composeRaw(m.message) }))
  : messages.map((m) => ({ envelope: m.envelope, ...buildMailOptions(m.message) }));
const transport = nodemailer.createTransport({ pool: true, maxConnections: connections, host: '127.0.0.1', port, secure: false, ignoreTLS: true });

console.log(JSON.stringify({ ready: true }));
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === 'go') {
    const { ms, cpuMs } = await timed(async () => {
      let next = 0;
      await Promise.all(Array.from({ length: connections }, async () => {
        while (next < mails.length) await transport.sendMail(mails[next++]);
      }));
    });
    console.log(JSON.stringify({ ms, cpuMs }));
  } else if (line.trim() === 'stop') {
    break;
  }
}
transport.close();
process.exit(0);
