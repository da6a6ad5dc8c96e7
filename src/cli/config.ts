/** Settings from the environment, named as API.md names them. */
export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  /** PostgreSQL schema to use instead of public (one database, several installations or test runs). */
  databaseSchema: string;
  smtpUrl: string | null;
  /** CADENZA_DEV_OUTBOX=1: keep mail in the dev outbox on purpose, even on a shared PostgreSQL. */
  devOutbox: boolean;
  publicUrl: string;
  adminToken: string | null;
  manualClock: boolean;
  /** Where the manual clock starts (default: the real time at start). */
  clockStart: Date | null;
  engine: boolean;
  demo: boolean;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  if (env.DATABASE_SCHEMA && !/^[a-z_][a-z0-9_]{0,62}$/.test(env.DATABASE_SCHEMA)) {
    throw new Error(`DATABASE_SCHEMA must be a plain lower-case identifier, not "${env.DATABASE_SCHEMA}"`);
  }
  const devOutbox = env.CADENZA_DEV_OUTBOX ?? '';
  if (!['', '0', '1'].includes(devOutbox)) throw new Error(`CADENZA_DEV_OUTBOX must be 1 or unset, not "${devOutbox}"`);
  if (devOutbox === '1' && env.SMTP_URL) throw new Error('SMTP_URL and CADENZA_DEV_OUTBOX=1 say opposite things: set one of them');
  const clock = env.CADENZA_CLOCK ?? 'system';
  if (clock !== 'system' && clock !== 'manual') throw new Error(`CADENZA_CLOCK must be "manual" or unset, not "${clock}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: env.DATA_DIR ?? './data',
    databaseUrl: env.DATABASE_URL || null,
    databaseSchema: env.DATABASE_SCHEMA || 'public',
    smtpUrl: env.SMTP_URL || null,
    devOutbox: devOutbox === '1',
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    adminToken: env.CADENZA_ADMIN_TOKEN || null,
    manualClock: clock === 'manual',
    clockStart: env.CADENZA_CLOCK_START ? parseInstant(env.CADENZA_CLOCK_START, 'CADENZA_CLOCK_START') : null,
    engine: env.CADENZA_ENGINE !== '0',
    demo: env.CADENZA_DEMO !== '0',
  };
}

function parseInstant(value: string, name: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new Error(`${name} must be an ISO-8601 instant, not "${value}"`);
  return d;
}

/** Where mail without a mailbox server of its own goes, for a start-up line: no credentials. */
export function mailDestination(settings: Settings): string {
  if (!settings.smtpUrl) return 'dev outbox (nothing is sent; GET /api/dev/outbox)';
  try {
    const u = new URL(settings.smtpUrl);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''} (SMTP_URL)`;
  } catch {
    return 'SMTP_URL (not a valid URL)';
  }
}

/**
 * On a shared PostgreSQL, a process without SMTP_URL would quietly keep its mail in
 * the dev outbox, marked sent, while other workers send theirs for real: it must be
 * asked for. The embedded database (one process, `npm start`) needs nothing.
 */
export function assertMailDestination(settings: Settings, command: string): void {
  if (settings.databaseUrl && !settings.smtpUrl && !settings.devOutbox) {
    throw new Error(
      `${command} with DATABASE_URL needs SMTP_URL (without it, mail would be kept unsent in the dev outbox ` +
        'and count as sent): set SMTP_URL, or CADENZA_DEV_OUTBOX=1 to keep mail in the dev outbox on purpose',
    );
  }
}
