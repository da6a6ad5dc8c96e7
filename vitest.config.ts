import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs the projects in one command: the server's suites (node; the few that
 * mock a module in `server-isolated`) and the web app's component tests
 * (web/vitest.config.ts, jsdom). `npx vitest run test/api/x.test.ts` still runs one file;
 * `--project web` or `--project server` picks one side.
 */

/** Server test files that mock a module: they run isolated (see the server project). */
const MOCKING = ['test/engine/isolation.test.ts'];

export default defineConfig({
  // The tests import the typed client as its users do; here from source (package.json "exports" is dist/).
  resolve: { alias: { 'cadenza/client': fileURLToPath(new URL('./src/client/index.ts', import.meta.url)) } },
  test: {
    // PGlite instances and PostgreSQL schemas are per test file; two cores in CI.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: MOCKING,
          // A worker runs its test files one after another in one module registry: PGlite
          // (seconds to boot its WASM) and its migrated template are made once per worker,
          // not once per file (test/support/backends.ts).
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        // Files that replace a module (vi.mock) need a registry of their own.
        test: { name: 'server-isolated', include: MOCKING, testTimeout: 60_000, hookTimeout: 60_000 },
      },
      'web/vitest.config.ts',
    ],
  },
});
