/** Settings from the environment, named as API.md names them. */
export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  /** PostgreSQL schema to use instead of public (one database, several installations or test runs). */
  databaseSchema: string;
  smtpUrl: string | null;
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
  const clock = env.CADENZA_CLOCK ?? 'system';
  if (clock !== 'system' && clock !== 'manual') throw new Error(`CADENZA_CLOCK must be "manual" or unset, not "${clock}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: env.DATA_DIR ?? './data',
    databaseUrl: env.DATABASE_URL || null,
    databaseSchema: env.DATABASE_SCHEMA || 'public',
    smtpUrl: env.SMTP_URL || null,
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
