import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `cadenza/client` as a user of the package gets it: compiled by the build's own config
 * (tsconfig.build.json) and reached through package.json "exports", imported by plain
 * Node and type-checked by a consumer's TypeScript. The build goes to a temporary folder
 * (the client and what it imports), so dist/ and `cadenza serve` are left alone.
 */

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

describe('the built package', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cadenza-client-'));
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    // The package as installed: its name, its exports, dist/ laid out as `npm run build` lays it out.
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: pkg.name, type: pkg.type, exports: pkg.exports }));
    await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    await writeFile(join(dir, 'tsconfig.build.json'), JSON.stringify({
      extends: join(ROOT, 'tsconfig.build.json'),
      compilerOptions: { outDir: join(dir, 'dist'), rootDir: ROOT, sourceMap: false },
      files: [join(ROOT, 'src/client/index.ts')],
      include: [],
    }));
    await run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.build.json')], { cwd: dir });
  }, 180_000);
  afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('is imported by plain Node as cadenza/client and calls the API', async () => {
    const script = `
      import { createClient, CadenzaApiError, routes } from 'cadenza/client';
      const seen = [];
      const fetch = async (url, init) => {
        seen.push(init.method + ' ' + url);
        return new Response(JSON.stringify({ error: { code: 'not_found', message: 'record x not found' } }), { status: 404, headers: { 'content-type': 'application/json' } });
      };
      const client = createClient({ baseUrl: 'http://cadenza.example', token: 't', fetch });
      const error = await client.leads.get({ id: 'x y' }).catch((e) => e);
      console.log(JSON.stringify({ seen, isApiError: error instanceof CadenzaApiError, status: error.status, code: error.code, groups: Object.keys(routes).length }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual({ seen: ['GET http://cadenza.example/api/leads/x%20y'], isApiError: true, status: 404, code: 'not_found', groups: expect.any(Number) });
  });

  it('gives a TypeScript consumer the contract\'s types, and refuses a wrong call', async () => {
    await writeFile(join(dir, 'consumer.ts'), `
      import { createClient, type Lead, type Answer } from 'cadenza/client';
      const client = createClient({ baseUrl: 'http://localhost:3000', token: 'secret' });
      export async function main(): Promise<string> {
        const lead: Lead = await client.leads.create({ body: { email: 'ada@example.com', firstName: 'Ada' } });
        const tasks: Answer<'tasks', 'list'> = await client.tasks.list({ query: { due: 'today' } });
        // @ts-expect-error: a lead's email is a string
        await client.leads.create({ body: { email: 42 } });
        // @ts-expect-error: the path parameter is required
        await client.leads.get({});
        return lead.email + tasks.items.map((t) => t.title).join();
      }
    `);
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
      files: ['consumer.ts'],
    }));
    const result = await run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { cwd: dir }).catch((e) => e);
    expect(`${result.stdout}${result.stderr ?? ''}`).toBe('');
  }, 120_000);
});
