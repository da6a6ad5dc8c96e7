import { mkdirSync } from 'node:fs';
import { ManualClock, systemClock } from '../app/clock.ts';
import { createContext, type AppContext } from '../app/context.ts';
import { createDemoWorkspace, isEmptyWorkspace } from '../app/demo.ts';
import { ensureAdminToken, issueToken } from '../app/users.ts';
import { Engine, engineOptionsFromEnv } from '../engine/engine.ts';
import { buildServer } from '../http/server.ts';
import { openDatabase, type Database } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { readSettings, type Settings } from './config.ts';
import { createLogger } from '../ops/logger.ts';
import { Metrics } from '../ops/metrics.ts';
import { metricsServerFromEnv } from '../ops/metrics-endpoint.ts';

const USAGE = `usage: cadenza <command>

  serve     the API, tracking pages and the engine (npm start)
  worker    the engine alone, against DATABASE_URL (--once: process what is due, then exit)
  migrate   apply database migrations and exit
  demo      create the demo workspace in an empty database
  token     print a new API token for the first admin (or: token <email>)

Environment: PORT, DATA_DIR, DATABASE_URL, SMTP_URL, PUBLIC_URL, CADENZA_ADMIN_TOKEN,
CADENZA_CLOCK=manual, CADENZA_ENGINE=0, CADENZA_DEMO=0 (see README.md).`;

async function open(settings: Settings): Promise<Database> {
  if (!settings.databaseUrl) mkdirSync(settings.dataDir, { recursive: true });
  const database = await openDatabase(
    settings.databaseUrl ? { databaseUrl: settings.databaseUrl, schema: settings.databaseSchema } : { dataDir: settings.dataDir },
  );
  await migrateToLatest(database);
  return database;
}

function context(database: Database, settings: Settings, clock = systemClock): AppContext {
  return createContext(database.db, clock, { publicUrl: settings.publicUrl, smtpUrl: settings.smtpUrl },
    { log: createLogger(process.env), metrics: new Metrics({ processMetrics: true }) });
}

function onShutdown(fn: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await fn();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function serve(settings: Settings): Promise<void> {
  const database = await open(settings);
  const manualClock = settings.manualClock ? new ManualClock(settings.clockStart ?? new Date()) : undefined;
  const ctx = context(database, settings, manualClock ?? systemClock);
  if (settings.adminToken) await ensureAdminToken(ctx, settings.adminToken);
  let demoTokens: Awaited<ReturnType<typeof createDemoWorkspace>> | null = null;
  if (settings.demo && (await isEmptyWorkspace(ctx))) demoTokens = await createDemoWorkspace(ctx);

  const engine = settings.engine ? new Engine(ctx, engineOptionsFromEnv(process.env)) : undefined;
  const app = await buildServer(ctx, { manualClock, engine });
  await app.listen({ port: settings.port, host: settings.host });
  // With the manual clock the engine runs only when the clock moves (POST /api/dev/clock).
  if (engine && !manualClock) engine.start();

  const url = `http://localhost:${settings.port}`;
  console.log(`Cadenza is serving ${url} (API under ${url}/api, OpenAPI at ${url}/api/openapi.json)`);
  console.log(`database: ${settings.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${settings.dataDir}`}; ` +
    `engine: ${engine ? (manualClock ? 'manual clock' : 'running') : 'off (CADENZA_ENGINE=0)'}; ` +
    `mail: ${settings.smtpUrl ? settings.smtpUrl.replace(/\/\/[^@/]*@/, '//***@') : 'dev outbox (no SMTP_URL)'}`);
  if (demoTokens) {
    console.log(`demo workspace created. Admin token (shown once): ${demoTokens.adminToken}`);
    console.log(`  try: curl -H "Authorization: Bearer ${demoTokens.adminToken}" ${url}/api/cadences`);
  } else if (!settings.adminToken) {
    console.log('get a token: set CADENZA_ADMIN_TOKEN=<secret> before start, or run `npx cadenza token`');
  }
  onShutdown(async () => {
    await app.close();
    await engine?.stop();
    await database.close();
  });
}

async function worker(settings: Settings, args: string[]): Promise<void> {
  if (!settings.databaseUrl) {
    throw new Error('cadenza worker needs DATABASE_URL: the embedded database belongs to one process (use cadenza serve)');
  }
  const database = await open(settings);
  const ctx = context(database, settings);
  const engine = new Engine(ctx, engineOptionsFromEnv(process.env));
  if (args.includes('--once')) {
    // Process everything due now, then exit: for cron-style runs and scripts. Stopping,
    // even after a failure, returns the mail this worker still holds to the queue.
    try {
      const result = await engine.drain();
      console.log(`cadenza worker: advanced ${result.advanced} enrolments, handled ${result.sent} emails`);
    } finally {
      await engine.stop();
      await database.close();
    }
    return;
  }
  await metricsServerFromEnv(ctx, process.env);
  engine.start();
  console.log(`cadenza worker ${process.pid} running against PostgreSQL`);
  onShutdown(async () => {
    await engine.stop();
    await database.close();
  });
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  const settings = readSettings();
  switch (command) {
    case 'serve': return serve(settings);
    case 'worker': return worker(settings, args);
    case 'migrate': {
      const database = await open(settings);
      console.log('migrations applied');
      return database.close();
    }
    case 'demo': {
      const database = await open(settings);
      const ctx = context(database, settings);
      if (!(await isEmptyWorkspace(ctx))) {
        console.error('the database already has users: the demo fills only an empty workspace');
        process.exitCode = 1;
      } else {
        const { adminToken } = await createDemoWorkspace(ctx);
        console.log(`demo workspace created. Admin token (shown once): ${adminToken}`);
      }
      return database.close();
    }
    case 'token': {
      const database = await open(settings);
      const ctx = context(database, settings);
      const q = ctx.db.selectFrom('users').select('id');
      const user = await (args[0] ? q.where('email', '=', args[0]) : q.where('role', '=', 'admin').orderBy('created_at')).executeTakeFirst();
      if (!user) {
        console.error(args[0] ? `no user ${args[0]}` : 'no admin yet: start with CADENZA_ADMIN_TOKEN set, or run cadenza demo');
        process.exitCode = 1;
      } else {
        console.log(await issueToken(ctx, user.id));
      }
      return database.close();
    }
    default:
      console.log(USAGE);
      if (command && command !== 'help' && command !== '--help') process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`cadenza: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
