/**
 * A benchmark process for webhooks (bench/webhooks.ts): opens the database, waits for
 * "go" on stdin, then with BENCH_WEBHOOK_MODE=deliver delivers everything due with one
 * dispatcher, or with drain (and BENCH_WEBHOOKS=1 for the dispatcher's loop beside it)
 * drains the engine as bench/worker.ts does. Reports its time as JSON on stdout.
 */
import { createInterface } from 'node:readline';
import { systemClock } from '../src/app/clock.ts';
import { createContext } from '../src/app/context.ts';
import { Engine, engineOptionsFromEnv } from '../src/engine/engine.ts';
import { WebhookDispatcher, webhookOptionsFromEnv } from '../src/engine/webhook-dispatcher.ts';
import { openDatabase } from '../src/store/database.ts';
import { timed } from './timed.ts';

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, schema: process.env.DATABASE_SCHEMA!, poolSize: 10 });
const ctx = createContext(database.db, systemClock, { publicUrl: 'http://bench.test', smtpUrl: null });
const mode = process.env.BENCH_WEBHOOK_MODE === 'deliver' ? 'deliver' : 'drain';
const engine = mode === 'drain' ? new Engine(ctx, engineOptionsFromEnv(process.env)) : null;
const dispatcher = new WebhookDispatcher(ctx, { ...webhookOptionsFromEnv(process.env), engineBusy: () => engine?.busy ?? false });
console.log(JSON.stringify({ ready: true }));
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'go') {
    if (engine) {
      if (process.env.BENCH_WEBHOOKS === '1') dispatcher.start();
      const { result, ms, cpuMs } = await timed(() => engine.drain());
      console.log(JSON.stringify({ ms, cpuMs, ...result }));
    } else {
      const { result, ms, cpuMs } = await timed(() => dispatcher.runOnce());
      console.log(JSON.stringify({ ms, cpuMs, ...result }));
    }
  } else if (line.trim() === 'stop') {
    break;
  }
}
await dispatcher.stop();
await engine?.stop();
await database.close();
process.exit(0);
