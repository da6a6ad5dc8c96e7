/**
 * The web app's Today page (issue 12): what its first load weighs, and how long a rep
 * with thousands of open tasks waits for the first rows in Chromium.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { hashPassword } from '../src/app/passwords.ts';
import { startServe } from './processes.ts';
import { seedRepToday } from './rep-today.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'web', 'dist');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** A task row of the Today queue: a row of the page's table (web/src/features/today/queue-table.tsx). */
export const TODAY_ROW = 'main table tbody tr';

export interface Bundle {
  files: Array<{ name: string; gzip: number }>;
  gzip: number;
}

/** web/dist as `npm start` would serve it: built now when missing or older than its sources. */
export function buildWebIfStale(): void {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'web-build.mjs'), '--if-stale'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error(`node bin/web-build.mjs --if-stale failed (${run.status ?? run.signal})`);
}

const gzipOf = (name: string) => gzipSync(readFileSync(join(DIST, 'assets', name))).length;

/**
 * The JavaScript and CSS a first visit to /today loads, gzipped as the build report
 * counts it: what index.html loads and preloads, then the Today page's chunk and every
 * chunk it imports statically (read from the built files: `from"./x.js"`).
 */
export function todayBundle(): Bundle {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const names = new Set([...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]!));
  const assets = readdirSync(join(DIST, 'assets'));
  const page = assets.find((name) => /^today-page-.*\.js$/.test(name));
  if (!page) throw new Error('web/dist has no today-page-*.js chunk: is Today still its own lazy route?');
  const queue = [page, ...assets.filter((name) => /^today-page-.*\.css$/.test(name))];
  while (queue.length) {
    const name = queue.pop()!;
    if (names.has(name) && name !== page) continue;
    names.add(name);
    if (!name.endsWith('.js')) continue;
    const code = readFileSync(join(DIST, 'assets', name), 'utf8');
    for (const m of code.matchAll(/(?:from|import)\s*"\.\/([^"]+\.(?:js|css))"/g)) if (!names.has(m[1]!)) queue.push(m[1]!);
  }
  return sum([...names]);
}

function sum(names: string[]): Bundle {
  const files = names.map((name) => ({ name, gzip: gzipOf(name) })).sort((a, b) => b.gzip - a.gzip);
  return { files, gzip: files.reduce((total, f) => total + f.gzip, 0) };
}

const FIRST_ROW_OBSERVER = `new MutationObserver((_, observer) => {
  if (document.querySelector(${JSON.stringify(TODAY_ROW)})) { window.firstRowAt = performance.now(); observer.disconnect(); }
}).observe(document, { childList: true, subtree: true });`;

/** Where the time went, from the page's own resource timings (ms from navigation start). */
const MARKS = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const end = (test) => Math.max(0, ...res.filter((r) => test(r.name)).map((r) => r.responseEnd));
  return {
    html: nav ? nav.responseEnd : 0,
    scripts: end((url) => /\\/assets\\/.+\\.js$/.test(url)),
    queue: end((url) => url.includes('/api/tasks') && url.includes('due=today')),
  };
})()`;

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface TodayInBrowser {
  tasks: number;
  /** ms from navigation start to the first task row in the DOM, one per run (a fresh browser context each). */
  runs: number[];
  median: number;
  /** Medians over the runs, ms from navigation start: index.html in, the last script in, the queue's answer in. */
  html: number;
  scripts: number;
  queue: number;
  /** The JS and CSS Chromium fetched for /today, gzipped from web/dist. */
  loaded: Bundle;
}

/**
 * A rep with `n` open tasks due today (bench/rep-today.ts's seeding: four other reps
 * with as many, hot leads among them), signed in with a password, opens /today in
 * Debian's Chromium `runs` times, each in a fresh context (an empty cache, as a new
 * visit); each run times navigation start → the first task row in the DOM. Null when
 * Chromium is not installed.
 */
export async function todayInBrowser(url: string, n: number, runs: number): Promise<TodayInBrowser | null> {
  if (!existsSync(CHROMIUM)) return null;
  const { chromium } = await import('playwright-core');
  const seeded = await seedRepToday(url, n);
  const password = 'bench rep password';
  const db = seeded.w.database.db;
  await sql`update users set password_hash = ${await hashPassword(password)} where id = ${seeded.w.repId}`.execute(db);
  const email = (await sql<{ email: string }>`select email from users where id = ${seeded.w.repId}`.execute(db)).rows[0]!.email;
  const serve = await startServe({ DATABASE_URL: url, DATABASE_SCHEMA: seeded.w.schema, CADENZA_ENGINE: '0', LOG_LEVEL: 'warn' });
  // The browser's origin is PUBLIC_URL's (the default: localhost), so that the session cookie's writes are its own.
  const base = serve.base.replace('127.0.0.1', 'localhost');
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const login = await fetch(`${base}/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ email, password }),
    });
    if (login.status !== 200) throw new Error(`signing the bench rep in answered ${login.status}`);
    const cookies = login.headers.getSetCookie().map((c) => {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      return { name: pair!.slice(0, at), value: pair!.slice(at + 1), url: base };
    });
    const times: number[] = [];
    const steps = { html: [] as number[], scripts: [] as number[], queue: [] as number[] };
    const loaded = new Set<string>();
    for (let i = 0; i < runs + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC', locale: 'en-US' });
      await context.addCookies(cookies);
      // Set before the page's own scripts: the instant (navigation-relative) the first row enters the DOM.
      // (A string: this file is type-checked without the DOM's types.)
      await context.addInitScript({ content: FIRST_ROW_OBSERVER });
      const page = await context.newPage();
      page.on('response', (res) => {
        const path = new URL(res.url()).pathname;
        if (/^\/assets\/.+\.(js|css)$/.test(path)) loaded.add(path.slice('/assets/'.length));
      });
      await page.goto(`${base}/today`);
      await page.locator(TODAY_ROW).first().waitFor({ timeout: 30_000 });
      const at = await page.evaluate<number>('window.firstRowAt');
      const marks = await page.evaluate<{ html: number; scripts: number; queue: number }>(MARKS);
      // The first run warms the server (its caches, the pool's connections); it is not counted.
      if (i > 0) {
        times.push(at);
        steps.html.push(marks.html);
        steps.scripts.push(marks.scripts);
        steps.queue.push(marks.queue);
      }
      await context.close();
    }
    return {
      tasks: seeded.mine, runs: times, median: median(times), loaded: sum([...loaded]),
      html: median(steps.html), scripts: median(steps.scripts), queue: median(steps.queue),
    };
  } finally {
    await browser.close();
    await serve.stop();
    await seeded.w.drop();
  }
}
