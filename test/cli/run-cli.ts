import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

// bin/compiled.mjs says so when a build in dist/ is older than the sources (a checkout
// edited after `npm run build`): a note about this machine, not the command's output.
const STALE_BUILD_NOTE = /^cadenza: dist\/ is older than the sources[^\n]*\n/m;

export interface CliRun {
  /** null when the command was still running at the deadline (it is then killed). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `cadenza <args>` as a user would, with the test's environment minus its
 * database settings (each test names its own), and waits for it to exit. A command
 * that should have refused but runs on (a second serve) is killed after `deadlineMs`.
 */
export function runCli(args: string[], env: Record<string, string>, deadlineMs = 120_000): Promise<CliRun> {
  const child = startCli(args, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
  return child.exited.finally(() => clearTimeout(timer));
}

export interface CliProcess {
  pid: number;
  output: () => string;
  /** Resolves once `text` has appeared on stdout; rejects if the process exits first. */
  printed(text: string): Promise<void>;
  exited: Promise<CliRun>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `cadenza <args>` and leaves it running. */
export function startCli(args: string[], env: Record<string, string>): CliProcess {
  const base = { ...process.env };
  for (const name of ['DATABASE_URL', 'DATABASE_SCHEMA', 'DATA_DIR', 'SMTP_URL', 'CADENZA_DEV_OUTBOX']) delete base[name];
  const child = spawn(process.execPath, [join(ROOT, 'bin/cadenza.mjs'), ...args], {
    cwd: ROOT,
    env: { ...base, HOST: '127.0.0.1', CADENZA_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<CliRun>((res) => child.on('exit', (code) => res({ code, stdout, stderr: stderr.replace(STALE_BUILD_NOTE, '') })));
  return {
    pid: child.pid!,
    output: () => stdout + stderr,
    printed: (text) => new Promise((res, rej) => {
      const check = () => { if (stdout.includes(text)) { child.stdout.off('data', check); res(); } };
      child.stdout.on('data', check);
      check();
      void exited.then((r) => rej(new Error(`cadenza ${args.join(' ')} exited (${r.code}) before printing "${text}":\n${r.stdout}${r.stderr}`)));
    }),
    exited,
    kill: (signal) => child.kill(signal),
  };
}

/** Every file under `dir` with its size and modification time: to show nothing was touched. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const s = statSync(path);
        out[path.slice(dir.length)] = `${s.size}@${s.mtimeMs}`;
      }
    }
  };
  walk(dir);
  return out;
}
