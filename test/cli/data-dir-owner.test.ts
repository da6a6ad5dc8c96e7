import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { runCli, snapshot, startCli, type CliProcess } from './run-cli.ts';

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

// One owner per embedded database (issue 11, finding 3): two processes on one PGlite
// folder lost acknowledged writes and sent every email twice.
describe('one process owns a PGlite data folder', () => {
  const dataDir = join(tempDir('cadenza-owner-'), 'data');
  const token = 'test_owner_token';
  let owner: CliProcess;
  let url = '';
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // The engine off: the owner then writes nothing while the others try their luck.
    owner = startCli(['serve'], { DATA_DIR: dataDir, PORT: String(port), CADENZA_ENGINE: '0', CADENZA_ADMIN_TOKEN: token });
    await owner.printed('Cadenza is serving');
  });
  afterAll(async () => {
    owner?.kill('SIGKILL');
    await owner?.exited;
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('a second serve and cadenza token refuse before touching it, naming the folder and what to do', async () => {
    const before = snapshot(dataDir);
    const [serve, tokenRun] = await Promise.all([
      runCli(['serve'], { DATA_DIR: dataDir, PORT: String(await freePort()) }, 45_000),
      runCli(['token'], { DATA_DIR: dataDir }, 45_000),
    ]);
    for (const run of [serve, tokenRun]) {
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(dataDir);
      expect(run.stderr).toContain(`in use by another cadenza process (pid ${owner.pid}`);
      expect(run.code).toBe(1);
    }
    expect(serve.stderr).toMatch(/stop it first.*DATABASE_URL/);
    expect(tokenRun.stderr).toMatch(/stop it.*CADENZA_ADMIN_TOKEN/);
    expect(snapshot(dataDir)).toEqual(before);
    const res = await fetch(`${url}/api/users`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });

  it('the lock dies with its process: after the owner is killed, the next command takes the folder', async () => {
    owner.kill('SIGKILL');
    await owner.exited;
    const run = await runCli(['token'], { DATA_DIR: dataDir });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toMatch(/^\S+$/);
    expect(run.code).toBe(0);
  });
});

describe('serve checks its port first', () => {
  let busy: Server;
  let port = 0;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((res) => busy.listen(0, '127.0.0.1', res));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((res) => busy.close(() => res())));

  it('on a busy port it fails without creating or migrating the data folder', async () => {
    const dataDir = join(tempDir('cadenza-port-'), 'data');
    const run = await runCli(['serve'], { DATA_DIR: dataDir, PORT: String(port) }, 45_000);
    expect(run.stderr.trim()).toMatch(new RegExp(`^cadenza: port ${port} on 127\\.0\\.0\\.1 is already in use[^\\n]*$`));
    expect(run.code).toBe(1);
    expect(existsSync(dataDir)).toBe(false);
  });
});
