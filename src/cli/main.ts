import { ManualClock, systemClock } from '../app/clock.ts';
import { createContext, type AppContext } from '../app/context.ts';
import { createDemoWorkspace, describeDemo, isEmptyWorkspace } from '../app/demo.ts';
import { ensureAdminToken, issueToken } from '../app/users.ts';
import { Engine, engineOptionsFromEnv } from '../engine/engine.ts';
import { WebhookDispatcher, webhookOptionsFromEnv, webhooksEnabled } from '../engine/webhook-dispatcher.ts';
import { buildServer } from '../http/server.ts';
import { describeServer, errorText, type Database } from '../store/database.ts';
import { findUserForToken } from '../store/user.repository.ts';
import { assertMailDestination, mailDestination, readSettings, type Settings } from './config.ts';
import { assertPortFree, open } from './open.ts';
import { IMPORT_EXIT, IMPORT_USAGE, UsageError, importArgs, runImport } from './import.ts';
import { createLogger } from '../ops/logger.ts';
import { Metrics } from '../ops/metrics.ts';
import { metricsServerFromEnv } from '../ops/metrics-endpoint.ts';

const USAGE = `usage: cadenza <command>

  serve     the API, tracking pages and the engine (npm start)
  worker    the engine alone, against DATABASE_URL (--once: process what is due, then exit)
  migrate   apply database migrations and exit
  demo      create the demo workspace in an empty database
  token     print a new API token for the first admin (or: token <email>)
  import    import leads from a CSV file as the first admin: import FILE.csv [--cadence ID] [--dry-run]
            (exit 0: every row imported; 3: some rows rejected, listed with their line; 1: nothing imported)

Environment: PORT, DATA_DIR, DATABASE_URL, SMTP_URL, PUBLIC_URL, CADENZA_ADMIN_TOKEN,
CADENZA_CLOCK=manual, CADENZA_ENGINE=0, CADENZA_WEBHOOKS=0, CADENZA_DEMO=0 (see README.md).
CADENZA_DEV_OUTBOX=1 keeps mail in the dev outbox on purpose: a worker, or a serve
running the engine, with DATABASE_URL refuses to start without SMTP_URL or it.
A DATA_DIR belongs to one process: while serve runs on it, the other commands refuse it.`;

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
  if (settings.engine) assertMailDestination(settings, 'cadenza serve running the engine');
  // Before the database is opened: a serve that cannot listen must not have migrated it.
  await assertPortFree(settings.port, settings.host);
  const database = await open(settings, 'serve');
  const manualClock = settings.manualClock ? new ManualClock(settings.clockStart ?? new Date()) : undefined;
  const ctx = context(database, settings, manualClock ?? systemClock);
  if (settings.adminToken) await ensureAdminToken(ctx, settings.adminToken);
  let demo: Awaited<ReturnType<typeof createDemoWorkspace>> | null = null;
  if (settings.demo && (await isEmptyWorkspace(ctx))) demo = await createDemoWorkspace(ctx);

  const engine = settings.engine ? new Engine(ctx, engineOptionsFromEnv(process.env)) : undefined;
  // Webhooks go out beside the engine, in a loop of their own (CADENZA_WEBHOOKS=0: not from here).
  const webhooks = engine && webhooksEnabled(process.env) ? new WebhookDispatcher(ctx, { ...webhookOptionsFromEnv(process.env), engineBusy: () => engine.busy }) : undefined;
  const app = await buildServer(ctx, { manualClock, engine, webhooks });
  await app.listen({ port: settings.port, host: settings.host });
  // With the manual clock the engine runs only when the clock moves (POST /api/dev/clock);
  // the dispatcher's loop runs either way, reading that clock: retries wait for it to move.
  if (engine && !manualClock) engine.start();
  webhooks?.start();

  const url = `http://localhost:${settings.port}`;
  console.log(`Cadenza is serving ${url} (API under ${url}/api, OpenAPI at ${url}/api/openapi.json)`);
  console.log(`database: ${settings.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${settings.dataDir}`}; ` +
    `engine: ${engine ? (manualClock ? 'manual clock' : 'running') : 'off (CADENZA_ENGINE=0)'}; ` +
    `webhooks: ${webhooks ? 'delivering' : 'off'}; ` +
    `mail: ${mailDestination(settings)}`);
  if (demo) {
    for (const line of describeDemo(demo, url)) console.log(line);
    console.log(`  try: curl -H "Authorization: Bearer ${demo.adminToken}" ${url}/api/cadences`);
  } else if (!settings.adminToken) {
    // The embedded database is this process's alone: `cadenza token` needs it stopped.
    console.log(`get a token: set CADENZA_ADMIN_TOKEN=<secret> before start, or ${settings.databaseUrl ? 'run' : 'stop this server and run'} \`npx cadenza token\``);
  }
  onShutdown(async () => {
    await app.close();
    await webhooks?.stop();
    await engine?.stop();
    await database.close();
  });
}

async function worker(settings: Settings, args: string[]): Promise<void> {
  if (!settings.databaseUrl) {
    throw new Error('cadenza worker needs DATABASE_URL: the embedded database belongs to one process (use cadenza serve)');
  }
  assertMailDestination(settings, 'cadenza worker');
  const database = await open(settings, 'worker');
  const ctx = context(database, settings);
  const engine = new Engine(ctx, engineOptionsFromEnv(process.env));
  const webhooks = webhooksEnabled(process.env) ? new WebhookDispatcher(ctx, { ...webhookOptionsFromEnv(process.env), engineBusy: () => engine.busy }) : undefined;
  console.log(`cadenza worker ${process.pid}: PostgreSQL at ${describeServer(settings.databaseUrl)} (schema ${database.schema}); ` +
    `mail: ${mailDestination(settings)}`);
  if (args.includes('--once')) {
    // Process everything due now, then exit: for cron-style runs and scripts. Stopping,
    // even after a failure, returns the mail this worker still holds to the queue.
    try {
      const result = await engine.drain();
      const hooks = await webhooks?.runOnce();
      console.log(`cadenza worker: advanced ${result.advanced} enrolments, handled ${result.sent} emails` +
        (hooks ? `, ${hooks.attempts} webhook attempts (${hooks.delivered} delivered)` : ''));
    } finally {
      await webhooks?.stop();
      await engine.stop();
      await database.close();
    }
    return;
  }
  await metricsServerFromEnv(ctx, process.env);
  engine.start();
  webhooks?.start();
  console.log(`cadenza worker ${process.pid} running${webhooks ? '' : ' (webhooks off: CADENZA_WEBHOOKS=0)'}`);
  onShutdown(async () => {
    await webhooks?.stop();
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
      const database = await open(settings, 'migrate');
      await database.close();
      console.log('migrations applied');
      return;
    }
    case 'demo': {
      const database = await open(settings, 'demo');
      try {
        const ctx = context(database, settings);
        if (!(await isEmptyWorkspace(ctx))) throw new Error('the database already has users: the demo fills only an empty workspace');
        for (const line of describeDemo(await createDemoWorkspace(ctx), null)) console.log(line);
      } finally {
        await database.close();
      }
      return;
    }
    case 'token': {
      const database = await open(settings, 'token');
      try {
        const ctx = context(database, settings);
        const user = await findUserForToken(ctx.db, args[0]);
        if (!user) throw new Error(args[0] ? `no user ${args[0]}` : 'no admin yet: start with CADENZA_ADMIN_TOKEN set, or run cadenza demo');
        console.log(await issueToken(ctx, user.id));
      } finally {
        await database.close();
      }
      return;
    }
    case 'import': {
      const parsed = importArgs(args); // the file and the options, before the database is opened
      const database = await open(settings, 'import');
      let code: number;
      try {
        code = await runImport(context(database, settings), database, parsed);
      } finally {
        await database.close();
      }
      process.exitCode = code; // after closing: closing PGlite resets it
      return;
    }
    default:
      console.log(USAGE);
      if (command && command !== 'help' && command !== '--help') process.exitCode = 2;
  }
}

// Failures leave through here with one line and exit code 1. Exiting explicitly also
// matters because closing PGlite resets process.exitCode to 0 (its WebAssembly exit).
main(process.argv.slice(2)).then(() => {
  if (process.exitCode) process.exit(process.exitCode);
}, (e: unknown) => {
  console.error(`cadenza: ${errorText(e).replace(/\s*\n\s*/g, ' ')}`);
  if (e instanceof UsageError) {
    console.error(IMPORT_USAGE);
    process.exit(IMPORT_EXIT.usage);
  }
  process.exit(1);
});
