import { createServer } from 'node:net';
import { DataDirInUseError } from '../store/data-dir-lock.ts';
import { openDatabase, type Database } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import type { Settings } from './config.ts';

export type Command = 'serve' | 'worker' | 'migrate' | 'demo' | 'token' | 'import';

// What a user can do when a running process owns the embedded database.
const WHEN_IN_USE: Record<Command, string> = {
  serve: 'stop it first; to run several processes on one database, use PostgreSQL (DATABASE_URL)',
  worker: 'stop it first',
  migrate: 'stop it first (serve also applies pending migrations as it starts)',
  demo: 'stop it first (serve itself fills an empty database with the demo unless CADENZA_DEMO=0)',
  token: 'stop it, run cadenza token, and start it again; or start it with CADENZA_ADMIN_TOKEN=<secret> set',
  import: 'stop it and import again, or upload the file to the running server (POST /api/leads/import, or the web app\'s Import leads page)',
};

/** Opens and migrates the database: the embedded one only if no other process owns it. */
export async function open(settings: Settings, command: Command): Promise<Database> {
  let database: Database;
  try {
    database = await openDatabase(
      settings.databaseUrl
        ? { databaseUrl: settings.databaseUrl, schema: settings.databaseSchema }
        : { dataDir: settings.dataDir, owner: `cadenza ${command}` },
    );
  } catch (e) {
    if (e instanceof DataDirInUseError) throw new Error(`${e.message}: ${WHEN_IN_USE[command]}`, { cause: e });
    throw e;
  }
  try {
    await migrateToLatest(database);
  } catch (e) {
    await database.close().catch(() => {});
    throw e;
  }
  return database;
}

/**
 * Fails unless the port is free to listen on, before anything is opened: a serve that
 * cannot listen must leave the database as it found it. (A port taken in the moments
 * between this check and the real listen still fails the start, only later.)
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return; // the OS picks a free one
  const probe = createServer();
  await new Promise<void>((res, rej) => {
    probe.once('error', rej);
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => res()));
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') throw new Error(`port ${port} on ${host} is already in use: stop what listens there, or set PORT`);
    throw new Error(`cannot listen on ${host}:${port}: ${e.message}`);
  });
}
