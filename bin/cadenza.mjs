#!/usr/bin/env node
// Runs the compiled build when `npm run build` made a fresh one, else the TypeScript
// sources directly through tsx: no build step is needed in a checkout.
import { pathToFileURL } from 'node:url';
import { compiled } from './compiled.mjs';

const build = compiled('src/cli/main.ts');
if (build) {
  await import(pathToFileURL(build).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
