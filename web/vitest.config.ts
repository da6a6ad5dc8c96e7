import { defineProject, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

/** Component tests: jsdom (< 30: 30+ needs Node 22), Testing Library. Run by the root `npm test`. */
export default mergeConfig(viteConfig, defineProject({
  test: {
    name: 'web',
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    // The first test of a file pays for importing React, Radix and jsdom on a busy 2-core machine.
    testTimeout: 20_000,
  },
}));
