import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/app/clock.ts';
import { createContext } from '../../src/app/context.ts';
import { createUser } from '../../src/app/users.ts';
import { openDatabase } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { runCli } from './run-cli.ts';

/** `cadenza import FILE.csv [--cadence ID] [--dry-run]`: the report on stdout, an exit code a script can act on. */
describe('cadenza import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cadenza-import-'));
  const dataDir = join(dir, 'data');
  const file = (name: string, content: string | Buffer) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const env = { DATA_DIR: dataDir };

  beforeAll(async () => {
    // A workspace with its first admin, as serve would have left it.
    const database = await openDatabase({ dataDir, owner: 'cadenza import test' });
    await migrateToLatest(database);
    await createUser(createContext(database.db, systemClock, { publicUrl: 'http://cadenza.test', smtpUrl: null }),
      { name: 'Admin', email: 'admin@example.com', role: 'admin' });
    await database.close();
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses bad arguments before opening any database: no file named (usage, exit 2), a missing file, a cadence that is not an id (exit 1)', async () => {
    const [none, missing, badCadence] = await Promise.all([
      runCli(['import'], env),
      runCli(['import', join(dir, 'nowhere.csv')], env),
      runCli(['import', file('ok.csv', 'email\na@x.example\n'), '--cadence', 'weekly'], env),
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^cadenza: which file\? name a CSV file\nusage: cadenza import FILE\.csv \[--cadence ID\] \[--dry-run\]\n$/);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`cadenza: no file ${join(dir, 'nowhere.csv')}`);
    expect(badCadence.code).toBe(1);
    expect(badCadence.stderr.trim()).toMatch(/^cadenza: --cadence weekly: not a cadence id/);
  }, 120_000);

  it('imports, prints what became of each row, exits 3 when rows were rejected and 0 when every row went in; a re-import updates', async () => {
    const csv = file('leads.csv', 'Email,First Name,Owner\nada@cli.example,Ada,\nnot-an-email,Bob,\ncy@cli.example,Cy,nobody@example.com\n');
    const first = await runCli(['import', csv], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(3);
    expect(first.stdout).toContain(`${csv}: 3 rows, 1 created, 0 updated, 2 rejected`);
    expect(first.stdout).toContain('columns: Email → email, First Name → firstName, Owner → ownerEmail');
    expect(first.stdout).toMatch(/line 3: Email "not-an-email": expected an email address/);
    expect(first.stdout).toMatch(/line 4: owner "nobody@example.com" is not a user/);

    const dry = await runCli(['import', file('again.csv', 'email,company\nADA@cli.example,Analytical\neve@cli.example,\n'), '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('dry run (nothing written): ');
    expect(dry.stdout).toContain('2 rows, 1 to create, 1 to update, 0 rejected');
    const real = await runCli(['import', join(dir, 'again.csv')], env);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain('2 rows, 1 created, 1 updated, 0 rejected');
  }, 240_000);

  it('a file it cannot read, or a cadence that does not exist: one line saying why, exit 1, nothing imported', async () => {
    const latin1 = await runCli(['import', file('latin1.csv', Buffer.from('email,name\nzoe@cli.example,Zo\xe9\n', 'latin1'))], env);
    expect(latin1.code).toBe(1);
    expect(latin1.stdout).toBe('');
    expect(latin1.stderr.trim()).toMatch(/^cadenza: .*latin1\.csv: the file is not UTF-8: byte 0xE9 at line 2/);
    const cadence = await runCli(['import', join(dir, 'ok.csv'), '--cadence=00000000-0000-4000-8000-000000000000'], env);
    expect(cadence.code).toBe(1);
    expect(cadence.stderr.trim()).toBe('cadenza: cadence 00000000-0000-4000-8000-000000000000 not found');
    const check = await runCli(['import', join(dir, 'ok.csv'), '--dry-run'], env);
    expect(check.stdout).toContain('1 to create'); // a@x.example: neither run wrote it
  }, 240_000);
});
