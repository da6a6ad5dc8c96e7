import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { compiled } from '../bin/compiled.mjs';

const ROOT = resolve(import.meta.dirname, '..');

export interface BenchWorker {
  child: ChildProcess;
  next(): Promise<Record<string, number>>;
  send(line: string): void;
}

/** Starts a benchmark process (by default a worker, bench/worker.ts) and waits until it is ready. */
export async function startWorker(env: Record<string, string>, script = 'bench/worker.ts'): Promise<BenchWorker> {
  // BENCH_NODE_FLAGS passes flags NODE_OPTIONS refuses, such as --cpu-prof, to each process.
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  // A fresh `npm run build` runs as compiled JavaScript, as production workers do.
  const build = compiled(script);
  const child = spawn(process.execPath, [...flags, ...(build ? [build] : ['--import', 'tsx', join(ROOT, script)])], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('bench worker exited');
    return JSON.parse(value as string) as Record<string, number>;
  };
  await next();
  return { child, next, send: (line) => child.stdin!.write(`${line}\n`) };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface BenchServe {
  base: string;
  child: ChildProcess;
  /** The `ms` of each request log line of `route` since the last call (with `requestLog`). */
  serverTimes(route: string): number[];
  stop(): Promise<void>;
}

/**
 * Starts `cadenza serve` as an operator would (compiled when built, JSON request logs
 * on, written to /dev/null) and waits until it answers.
 */
export async function startServe(env: Record<string, string>, opts: { requestLog?: boolean } = {}): Promise<BenchServe> {
  const port = await freePort();
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...flags, join(ROOT, 'bin/cadenza.mjs'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CADENZA_DEMO: '0', ...env },
    stdio: ['ignore', opts.requestLog ? 'pipe' : 'ignore', 'inherit'],
  });
  // With requestLog, the serve's own measure of each request (Fastify's elapsed time,
  // from the request read to the answer written), read from its JSON request log.
  const logged: Array<{ route: string; ms: number }> = [];
  if (opts.requestLog) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { route?: string; ms?: number };
      if (typeof entry.route === 'string' && typeof entry.ms === 'number') logged.push({ route: entry.route, ms: entry.ms });
    });
  }
  const base = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`cadenza serve exited with ${child.exitCode}`);
    if (waited > 60_000) throw new Error('cadenza serve did not answer within a minute');
    const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await delay(100);
  }
  return {
    base,
    child,
    serverTimes: (route) => logged.splice(0).filter((e) => e.route === route).map((e) => e.ms),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Starts `n` workers, lets them go at once, and returns each one's report. */
export async function drainWith(n: number, env: Record<string, string>): Promise<{ wallMs: number; reports: Array<Record<string, number>> }> {
  const workers = await Promise.all(Array.from({ length: n }, () => startWorker(env)));
  const start = performance.now();
  for (const w of workers) w.send('go');
  const reports = await Promise.all(workers.map((w) => w.next()));
  const wallMs = performance.now() - start;
  for (const w of workers) {
    w.send('stop');
    await once(w.child, 'exit');
  }
  return { wallMs, reports };
}

/** CPU time (ms) one process has used so far, from /proc; null where it cannot be read. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime, stime; USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/**
 * CPU time (ms) used so far by the PostgreSQL processes on this machine, read from
 * /proc, children that ended included; null where it cannot be read (another OS, or a
 * database on another machine).
 */
export function postgresCpuMs(): number | null {
  let ticks = 0;
  let found = false;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      if (!stat.includes('(postgres)')) continue;
      found = true;
      // utime, stime, cutime, cstime: fields 14-17 of proc(5), after the command's ")"
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    }
  } catch {
    return null;
  }
  return found ? ticks * 10 : null; // USER_HZ is 100 on Linux
}
