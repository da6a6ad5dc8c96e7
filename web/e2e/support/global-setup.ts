/**
 * Before the browser tests: a real SMTP sink and `cadenza serve` on a fresh database,
 * without the demo workspace, on the manual clock (POST /api/dev/clock moves it), its
 * mail going to the sink. The workers read where they are from the environment.
 */
import { startMailSink } from './mail-sink.ts';
import { startServe } from './serve.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const sink = await startMailSink();
  const serve = await startServe({ CADENZA_DEMO: '0', CADENZA_CLOCK: 'manual', CADENZA_CLOCK_START: clockStart(), SMTP_URL: sink.smtpUrl });
  process.env.E2E_BASE_URL = serve.url;
  process.env.E2E_SMTP_URL = sink.smtpUrl;
  process.env.E2E_MAIL_URL = sink.httpUrl;
  console.log(`e2e: cadenza serve at ${serve.url} (${process.env.DATABASE_URL ? 'a fresh PostgreSQL schema' : 'a fresh embedded database'}), SMTP sink at ${sink.smtpUrl}`);
  return async () => {
    await serve.stop();
    await sink.stop();
  };
}

/**
 * Now, unless the UTC day ends within 15 minutes: then just after midnight, so that the
 * work the tests make due stays in the rep's (UTC) today from first to last test.
 */
export function clockStart(): string {
  const now = new Date();
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return new Date(midnight - now.getTime() < 15 * 60_000 ? midnight + 60_000 : now.getTime()).toISOString();
}
