import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from './run-cli.ts';

// Every command exits non-zero on failure with one line saying why (issue 11, finding 7).
function expectFailure(run: CliRun, reason: RegExp): void {
  expect(run.stdout, run.stderr).toBe('');
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr.trim()).toMatch(reason);
  expect(run.code).toBe(1);
}

const NOWHERE = 'postgres://cadenza@127.0.0.1:1/cadenza'; // nothing listens on port 1

describe('cadenza commands that fail exit 1 with one line', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cadenza-exit-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('demo on a used database and token for an unknown user (PGlite)', async () => {
    const first = await runCli(['demo'], { DATA_DIR: dataDir });
    expect(first.stdout, first.stderr).toMatch(/demo workspace created/);
    expect(first.code).toBe(0);
    expectFailure(await runCli(['demo'], { DATA_DIR: dataDir }), /^cadenza: the database already has users/);
    expectFailure(await runCli(['token', 'nobody@x'], { DATA_DIR: dataDir }), /^cadenza: no user nobody@x$/);
  }, 240_000); // three PGlite starts in a row: seconds each, more on a busy machine

  it('migrate on an unreachable PostgreSQL names the server, not "migration ?"', async () => {
    const run = await runCli(['migrate'], { DATABASE_URL: NOWHERE });
    expectFailure(run, /^cadenza: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/cadenza: .*ECONNREFUSED/);
  });
});

describe('mail on a shared PostgreSQL goes to SMTP_URL unless the dev outbox is asked for', () => {
  it('a worker, or a serve running the engine, without SMTP_URL refuses before connecting', async () => {
    const [worker, serve, apiOnly, outbox] = await Promise.all([
      runCli(['worker'], { DATABASE_URL: NOWHERE }),
      runCli(['serve'], { DATABASE_URL: NOWHERE, PORT: '0' }),
      runCli(['serve'], { DATABASE_URL: NOWHERE, PORT: '0', CADENZA_ENGINE: '0' }),
      runCli(['worker'], { DATABASE_URL: NOWHERE, CADENZA_DEV_OUTBOX: '1' }),
    ]);
    expectFailure(worker, /^cadenza: cadenza worker with DATABASE_URL needs SMTP_URL .*CADENZA_DEV_OUTBOX=1/);
    expectFailure(serve, /^cadenza: cadenza serve running the engine with DATABASE_URL needs SMTP_URL .*CADENZA_DEV_OUTBOX=1/);
    // Sends nothing, or asked for the outbox: it gets as far as the database.
    expectFailure(apiOnly, /^cadenza: cannot connect to PostgreSQL/);
    expectFailure(outbox, /^cadenza: cannot connect to PostgreSQL/);
  });

  describe.runIf(!!process.env.DATABASE_URL)('on PostgreSQL', () => {
    const schema = `cli_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    afterAll(async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    });

    it('a worker states at start where its mail goes, without credentials', async () => {
      const env = { DATABASE_URL: process.env.DATABASE_URL!, DATABASE_SCHEMA: schema };
      const smtp = await runCli(['worker', '--once'], { ...env, SMTP_URL: 'smtp://rep:s3cret@127.0.0.1:2525' });
      expect(smtp.stdout).toMatch(/^cadenza worker \d+: .*mail: smtp:\/\/127\.0\.0\.1:2525 \(SMTP_URL\)$/m);
      expect(smtp.stdout + smtp.stderr).not.toContain('s3cret');
      expect(smtp.code).toBe(0);
      const outbox = await runCli(['worker', '--once'], { ...env, CADENZA_DEV_OUTBOX: '1' });
      expect(outbox.stdout).toMatch(/^cadenza worker \d+: .*mail: dev outbox/m);
      expect(outbox.code).toBe(0);
    });
  });
});
