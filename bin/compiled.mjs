// Chooses between the compiled build (dist/, from `npm run build`) and the TypeScript
// sources run through tsx: the build is used only while it is newer than every source
// file, so an edit after a build is never shadowed by stale JavaScript.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The compiled twin of a source file (`src/cli/main.ts` → `dist/src/cli/main.js`),
 * or null when there is no build or it is older than the sources (`root`: the checkout).
 */
export function compiled(sourcePath, root = ROOT) {
  const stamp = join(root, 'dist', '.built');
  if (!existsSync(stamp)) return null;
  const built = statSync(stamp).mtimeMs;
  if (['src', 'bench'].some((dir) => existsSync(join(root, dir)) && newestSource(join(root, dir)) > built)) {
    console.error('cadenza: dist/ is older than the sources, so they run through tsx (npm run build refreshes it)');
    return null;
  }
  const target = join(root, 'dist', sourcePath.replace(/\.ts$/, '.js'));
  return existsSync(target) ? target : null;
}
