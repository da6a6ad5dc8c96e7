import type { FastifyInstance, InjectOptions } from 'fastify';
import { ManualClock } from '../../src/app/clock.ts';
import { createContext, type AppContext } from '../../src/app/context.ts';
import { createUser, issueToken } from '../../src/app/users.ts';
import { Engine, defaultEngineOptions } from '../../src/engine/engine.ts';
import { buildServer } from '../../src/http/server.ts';
import type { Database } from '../../src/store/database.ts';
import { freshDatabase, type BackendName } from './backends.ts';
import type { CadenzaClient } from 'cadenza/client';
import { inProcessClient } from './client.ts';

export interface Harness {
  database: Database;
  ctx: AppContext;
  clock: ManualClock;
  engine: Engine;
  app: FastifyInstance;
  adminToken: string;
  admin: { id: string };
  reps: Array<{ id: string; token: string }>;
  /** Calls the API in process; `as` picks a token (admin by default, null for none). */
  api(method: InjectOptions['method'], url: string, body?: unknown, as?: string | null): Promise<{ status: number; body: any }>;
  /** The typed client (cadenza/client) in process, as the admin; answers checked against the contract. */
  client: CadenzaClient;
  /** The typed client with another token (a rep's), or none (null). */
  clientAs(token: string | null): CadenzaClient;
  close(): Promise<void>;
}

/** A fresh database, a manual clock at `start`, the engine and the API, an admin and two reps. */
export async function startHarness(backend: BackendName, start = new Date('2026-03-02T08:00:00Z'), smtpUrl: string | null = null): Promise<Harness> {
  const database = await freshDatabase(backend);
  const clock = new ManualClock(start);
  const ctx = createContext(database.db, clock, { publicUrl: 'http://cadenza.test', smtpUrl });
  const engine = new Engine(ctx, defaultEngineOptions('test-worker'));
  const app = await buildServer(ctx, { manualClock: clock, engine });
  const admin = await createUser(ctx, { name: 'Admin', email: 'admin@example.com', role: 'admin' });
  const adminToken = await issueToken(ctx, admin.id);
  const reps = [];
  for (const [i, tz] of ['America/New_York', 'Europe/London'].entries()) {
    const rep = await createUser(ctx, { name: `Rep ${i + 1}`, email: `rep${i + 1}@example.com`, role: 'rep', timezone: tz });
    reps.push({ id: rep.id, token: await issueToken(ctx, rep.id) });
  }
  return {
    database, ctx, clock, engine, app, adminToken, admin, reps,
    client: inProcessClient(app, adminToken),
    clientAs: (token) => inProcessClient(app, token),
    async api(method, url, body, as = adminToken) {
      const res = await app.inject({
        method, url,
        headers: as === null ? {} : { authorization: `Bearer ${as}` },
        ...(body === undefined ? {} : typeof body === 'string' ? { payload: body, headers: { ...(as === null ? {} : { authorization: `Bearer ${as}` }), 'content-type': 'application/json' } } : { payload: body as object }),
      });
      let parsed: unknown = res.body;
      try { parsed = res.json(); } catch { /* not JSON */ }
      return { status: res.statusCode, body: parsed };
    },
    async close() {
      await app.close();
      await engine.stop();
      await database.close();
    },
  };
}
