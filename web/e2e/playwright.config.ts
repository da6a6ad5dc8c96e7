/**
 * Browser tests of the web app (`npm run test:e2e`): Playwright driving Debian's
 * Chromium (/usr/bin/chromium, or CHROMIUM=…; no browser is ever downloaded) against
 * one `cadenza serve` that the global setup starts on a fresh database, with the manual
 * clock and a real SMTP sink. The scenario is serial: each step builds on the last.
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  throw new Error(`no Chromium at ${chromium}: install Debian's (apt-get install -y chromium) or set CHROMIUM=/path/to/chromium`);
}

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: './.results',
  globalSetup: './support/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromium },
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
