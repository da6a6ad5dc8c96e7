/** Settings from the environment, named as API.md names them. */
export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  smtpUrl: string | null;
  publicUrl: string;
  adminToken: string | null;
  manualClock: boolean;
  engine: boolean;
  demo: boolean;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const clock = env.CADENZA_CLOCK ?? 'system';
  if (clock !== 'system' && clock !== 'manual') throw new Error(`CADENZA_CLOCK must be "manual" or unset, not "${clock}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: env.DATA_DIR ?? './data',
    databaseUrl: env.DATABASE_URL || null,
    smtpUrl: env.SMTP_URL || null,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    adminToken: env.CADENZA_ADMIN_TOKEN || null,
    manualClock: clock === 'manual',
    engine: env.CADENZA_ENGINE !== '0',
    demo: env.CADENZA_DEMO !== '0',
  };
}
