import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { freePort } from './free-port.ts';
import pg from 'pg';
import type { BackendName } from './backends.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ChildServer {
  url: string;
  token: string;
  /** The database settings the server runs with, for other processes to share. */
  env: Record<string, string>;
  output: () => string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** Starts `cadenza serve` as a child process, as a user would, on a fresh database. */
export async function startChildServer(backend: BackendName, env: Record<string, string>): Promise<ChildServer> {
  const port = await freePort();
  const token = `test_${randomUUID()}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cadenza-e2e-'));
  const schema = `e2e_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const dbEnv: Record<string, string> = backend === 'postgres'
    ? { DATABASE_URL: process.env.DATABASE_URL!, DATABASE_SCHEMA: schema }
    : { DATA_DIR: dataDir, DATABASE_URL: '' };
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin/cadenza.mjs'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ...dbEnv, PORT: String(port), HOST: '127.0.0.1', CADENZA_ADMIN_TOKEN: token, CADENZA_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((res, rej) => {
    const onData = () => { if (out.includes('Cadenza is serving')) { cleanup(); res(); } };
    const onExit = (code: number | null) => { cleanup(); rej(new Error(`cadenza serve exited (${code}):\n${out}`)); };
    const cleanup = () => { child.stdout!.off('data', onData); child.off('exit', onExit); };
    child.stdout!.on('data', onData);
    child.on('exit', onExit);
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    token,
    env: dbEnv,
    output: () => out,
    async call(method, path, body, headers = {}) {
      const isRaw = typeof body === 'string' || Buffer.isBuffer(body);
      const res = await fetch(url + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': isRaw ? 'message/rfc822' : 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : isRaw ? (body as string) : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body: parsed };
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
      if (backend === 'postgres') {
        const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await c.connect();
        await c.query(`drop schema if exists ${schema} cascade`);
        await c.end();
      }
    },
  };
}
