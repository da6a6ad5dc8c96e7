/**
 * A benchmark worker process: opens the database, waits for "go" on stdin so that
 * several workers start together, drains everything due with the real engine, and
 * reports its time and peak memory as JSON on stdout.
 */
import { createInterface } from 'node:readline';
import { systemClock } from '../src/app/clock.ts';
import { createContext } from '../src/app/context.ts';
import { Engine, engineOptionsFromEnv } from '../src/engine/engine.ts';
import { openDatabase } from '../src/store/database.ts';
import { timed } from './timed.ts';

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, schema: process.env.DATABASE_SCHEMA!, poolSize: 10 });
const ctx = createContext(database.db, systemClock, { publicUrl: 'http://bench.test', smtpUrl: process.env.SMTP_URL || null });
const engine = new Engine(ctx, engineOptionsFromEnv(process.env));
let rssPeak = process.memoryUsage().rss;
const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 50);
console.log(JSON.stringify({ ready: true }));
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === 'go') {
    const { result, ms, cpuMs } = await timed(() => engine.drain());
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    console.log(JSON.stringify({ ms, rssPeak, cpuMs, ...result }));
  } else if (line.trim() === 'loop') {
    engine.start();
  } else if (line.trim() === 'stop') {
    break;
  }
}
clearInterval(sampler);
await engine.stop();
await database.close();
console.log(JSON.stringify({ rssPeak }));
process.exit(0);
