import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT_OF_VERSIONS = '/usr/lib/postgresql';

/**
 * Where this machine's PostgreSQL server binaries are (the newest version), or why a
 * throw-away cluster cannot be made here.
 */
export function throwawayClusterSupport(): { binDir: string; runAs: string | null } | { reason: string } {
  const versions = existsSync(ROOT_OF_VERSIONS) ? readdirSync(ROOT_OF_VERSIONS).sort((a, b) => Number(b) - Number(a)) : [];
  const binDir = versions.map((v) => join(ROOT_OF_VERSIONS, v, 'bin')).find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
  if (!binDir) return { reason: `no PostgreSQL server binaries (initdb, pg_ctl) under ${ROOT_OF_VERSIONS}/*/bin` };
  // PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
  if (userInfo().uid !== 0) return { binDir, runAs: null };
  if (uidOf('postgres') === null) return { reason: 'running as root, and there is no postgres user to run a cluster as' };
  return { binDir, runAs: 'postgres' };
}

/** A user's id (`id -u`: node has no getpwnam), or null when there is no such user. */
function uidOf(user: string): number | null {
  try {
    return Number(execFileSync('id', ['-u', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return null;
  }
}

/**
 * A PostgreSQL cluster of its own in a temporary folder, on a free port, that a test
 * may stop and start at will; never the machine's own cluster.
 */
export class ThrowawayCluster {
  private constructor(
    private readonly binDir: string,
    private readonly runAs: string | null,
    private readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async create(): Promise<ThrowawayCluster> {
    const support = throwawayClusterSupport();
    if ('reason' in support) throw new Error(support.reason);
    const dir = mkdtempSync(join(tmpdir(), 'cadenza-pg-'));
    if (support.runAs) {
      const uid = uidOf(support.runAs)!;
      chownSync(dir, uid, -1);
    }
    const cluster = new ThrowawayCluster(support.binDir, support.runAs, dir, await freePort());
    await cluster.exec('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await cluster.start();
    return cluster;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    await this.exec('pg_ctl', ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'log'), '-w', '-t', '30', '-o', options, 'start']);
  }

  /** As an operator stops it: sessions are ended, the server goes down. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.exec('pg_ctl', ['-D', join(this.dir, 'data'), '-w', '-t', '30', '-m', mode, 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async exec(tool: string, args: string[]): Promise<void> {
    const path = join(this.binDir, tool);
    if (this.runAs) await run('runuser', ['-u', this.runAs, '--', path, ...args]);
    else await run(path, args);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
