/**
 * `cadenza serve` as a user starts it (bin/cadenza.mjs: the compiled build when fresh,
 * else the sources through tsx), for the browser tests and the README screenshots.
 * A fresh database each time: an embedded one in a temporary DATA_DIR, or a schema of
 * its own on the PostgreSQL of DATABASE_URL when that is set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

export const ROOT = resolve(import.meta.dirname, '..', '..', '..');

export interface Serve {
  /** Where the browser goes: http://localhost:<port> (PUBLIC_URL, so tracking links point here too). */
  url: string;
  /** What the process printed (not its JSON log lines). */
  output(): string;
  /** Resolves once the output holds `text`. */
  printed(text: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => ok(port));
    }).on('error', fail);
  });
}

/** Starts `cadenza serve` with `env` on a fresh database and a free port; resolves once /api/health answers. */
export async function startServe(env: Record<string, string | undefined>, opts: { postgres?: boolean } = {}): Promise<Serve> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const postgres = (opts.postgres ?? true) && Boolean(process.env.DATABASE_URL);
  const dataDir = mkdtempSync(join(tmpdir(), 'cadenza-e2e-'));
  const schema = `e2e_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const db = postgres ? { DATABASE_URL: process.env.DATABASE_URL!, DATABASE_SCHEMA: schema } : { DATABASE_URL: '', DATA_DIR: dataDir };
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'cadenza.mjs'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ...db, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    // JSON log lines are for operators; warnings and errors among them stay visible on stderr.
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.startsWith('{')) process.stderr.write(`cadenza serve: ${line}\n`);
      else if (line) out += `${line}\n`;
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (postgres) {
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
  };
  for (let waited = 0; ; waited += 200) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`cadenza serve exited with ${child.exitCode}:\n${out}`);
    }
    if (waited > 120_000) {
      await stop();
      throw new Error(`cadenza serve did not answer /api/health within 2 minutes:\n${out}`);
    }
    if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    output: () => out,
    async printed(text, timeoutMs = 120_000) {
      for (let waited = 0; !out.includes(text); waited += 200) {
        if (waited > timeoutMs) throw new Error(`cadenza serve did not print "${text}":\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      return out;
    },
    stop,
  };
}
