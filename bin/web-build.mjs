#!/usr/bin/env node
// Builds the web app (web/ → web/dist) with Vite and prints what the first page costs.
//   node bin/web-build.mjs              build now (npm run build:web)
//   node bin/web-build.mjs --if-stale   only when web/dist is missing or older than its sources
//                                       (npm start, and npm install/ci through postinstall)
//   --optional                          without Vite installed (npm ci --omit=dev), say so and exit 0
//                                       (a failing build still fails)
// The build goes to a scratch folder that then replaces web/dist, so a server reading
// web/dist, or a second build started at the same time, never sees half a build.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
const WEB = join(ROOT, 'web');
const DIST = join(WEB, 'dist');
const STAMP = join(DIST, '.built');
/** What the bundle is made of: the app, its config and the contract it imports (the @contract alias). */
const SOURCES = ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/package.json', 'src/contract'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Why web/dist needs a build, or null while it is newer than every source (`root`: the checkout). */
export function webBuildNeeded(root = ROOT) {
  const stamp = join(root, 'web', 'dist', '.built');
  if (!existsSync(stamp)) return 'web/dist is missing';
  const built = statSync(stamp).mtimeMs;
  const changed = SOURCES.find((source) => newest(join(root, source)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

function viteBin() {
  try {
    const require = createRequire(join(WEB, 'package.json'));
    return join(require.resolve('vite/package.json'), '..', 'bin', 'vite.js');
  } catch {
    return null;
  }
}

export function buildWeb() {
  const vite = viteBin();
  if (!vite) return { ok: false, missingVite: true, reason: 'vite is not installed (dev dependencies omitted?): run `npm install`, then `npm run build:web`' };
  const scratch = join(WEB, `.dist-${process.pid}`);
  const run = spawnSync(process.execPath, [vite, 'build', '--outDir', scratch, '--emptyOutDir', '--logLevel', 'warn'], { cwd: WEB, stdio: 'inherit' });
  if (run.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    return { ok: false, reason: `vite build failed (exit ${run.status ?? run.signal})` };
  }
  writeFileSync(join(scratch, '.built'), '');
  const old = join(WEB, `.dist-old-${process.pid}`);
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(scratch, DIST);
  rmSync(old, { recursive: true, force: true });
  return { ok: true };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

/** The first page's JS and CSS (what index.html loads and preloads), gzipped; the rest loads per route. */
export function bundleReport(dist = DIST) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const first = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]));
  const rows = readdirSync(join(dist, 'assets'))
    .filter((name) => /\.(js|css)$/.test(name))
    .map((name) => {
      const body = readFileSync(join(dist, 'assets', name));
      return { name, raw: body.length, gzip: gzipSync(body).length, first: first.has(`assets/${name}`) };
    })
    .sort((a, b) => b.gzip - a.gzip);
  const firstGzip = rows.filter((r) => r.first).reduce((sum, r) => sum + r.gzip, 0);
  return { rows, firstGzip, pages: pageTotals(dist, rows, first) };
}

/**
 * What landing on each page costs: the first page's files plus the page's lazy chunk
 * and the chunks it imports statically (from Vite's manifest), gzipped.
 */
function pageTotals(dist, rows, first) {
  const manifestPath = join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) return [];
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const gzipOf = new Map(rows.map((r) => [`assets/${r.name}`, r.gzip]));
  const files = (key, into) => {
    const chunk = manifest[key];
    if (!chunk || into.has(chunk.file)) return into;
    into.add(chunk.file);
    for (const css of chunk.css ?? []) into.add(css);
    for (const imported of chunk.imports ?? []) files(imported, into);
    return into;
  };
  return Object.entries(manifest)
    .filter(([key, chunk]) => chunk.isDynamicEntry && /-page\.tsx$/.test(key))
    .map(([key]) => {
      const all = files(key, new Set(first));
      return { page: key.replace(/^src\/features\//, ''), gzip: [...all].reduce((sum, f) => sum + (gzipOf.get(f) ?? 0), 0) };
    })
    .sort((a, b) => b.gzip - a.gzip);
}

function printReport() {
  const { rows, firstGzip, pages } = bundleReport();
  console.log('web/dist assets (gzipped; * = loaded by the first page):');
  for (const r of rows) console.log(`  ${r.first ? '*' : ' '} ${r.name.padEnd(40)} ${kb(r.gzip).padStart(10)}  (${kb(r.raw)} raw)`);
  console.log(`first page JS+CSS: ${kb(firstGzip)} gzipped (budget 250 kB); landing on a page, with its own code:`);
  for (const p of pages) console.log(`  ${p.page.padEnd(40)} ${kb(p.gzip).padStart(10)}${p.gzip > 250 * 1024 ? '  OVER BUDGET' : ''}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = new Set(process.argv.slice(2));
  const why = args.has('--if-stale') ? webBuildNeeded() : 'asked to';
  if (!why) process.exit(0);
  console.log(`web app: building (${why})…`);
  const result = buildWeb();
  if (!result.ok) {
    console.error(`web app: not built: ${result.reason}`);
    process.exit(result.missingVite && args.has('--optional') ? 0 : 1);
  }
  printReport();
}
