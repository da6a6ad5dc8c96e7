import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs two projects in one command: the server's suites (node) and the web
 * app's component tests (web/vitest.config.ts, jsdom). `npx vitest run test/api/x.test.ts`
 * still runs one file; `--project web` or `--project server` picks one side.
 */
export default defineConfig({
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
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      'web/vitest.config.ts',
    ],
  },
});
