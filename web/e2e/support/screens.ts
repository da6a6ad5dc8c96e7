/**
 * What the screenshot scripts (web/e2e/*-screens.ts, screenshots.ts, readme-screenshots.ts)
 * share: Debian's Chromium, a demo serve with its first rep, and signing in.
 */
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, ROOT, startServe, type Serve } from './serve.ts';

/** Debian's Chromium (/usr/bin/chromium, or CHROMIUM=…); nothing is downloaded. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });

export interface DemoRep { email: string; password: string; zone: string | undefined }

/** The first rep the demo printed: `  rep   riley@demo.cadenza.dev  password …  6 tasks due today …, in America/New_York`. */
export function demoRep(output: string): DemoRep {
  const m = /^\s*rep\s+(\S+@\S+)\s+password\s+(\S+)(.*)$/m.exec(output);
  if (!m) throw new Error(`no demo rep in the serve's output:\n${output}`);
  return { email: m[1]!, password: m[2]!, zone: /\bin ([A-Za-z_]+\/[A-Za-z_/]+)\s*$/.exec(m[3]!)?.[1] };
}

/**
 * `cadenza serve` on a fresh embedded database filled with the demo workspace, as `npm start`
 * does (system clock, mail to the dev outbox), and its first rep. `env` adds to or overrides that.
 */
export async function startDemo(env: Record<string, string | undefined> = {}): Promise<{ serve: Serve; rep: DemoRep }> {
  const serve = await startServe({ CADENZA_DEMO: '1', CADENZA_CLOCK: undefined, CADENZA_CLOCK_START: undefined, SMTP_URL: undefined, ...env }, { postgres: false });
  try {
    return { serve, rep: demoRep(await serve.printed('Admin token')) };
  } catch (error) {
    await serve.stop();
    throw error;
  }
}

/** Fills the sign-in form at `base` with `who`; `submit: false` leaves it filled (to picture it). */
export async function signIn(page: Page, base: string, who: { email: string; password: string }, { submit = true } = {}) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  if (!submit) return;
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/today**');
}

/** Prints the console problems a walk collected and fails the script when there are any. */
export function reportProblems(problems: string[]) {
  if (problems.length) {
    console.error(`console problems:\n    ${problems.join('\n    ')}`);
    process.exitCode = 1;
  } else {
    console.log('no console errors');
  }
}

/**
 * Collects the page's errors and console errors/warnings into `problems`; a message matching
 * `allow` (the browser logs every 4xx answer it expected, e.g. the session probe) goes to `allowed`.
 */
export function watchProblems(page: Page, problems: string[], allow: RegExp, allowed: string[] = []) {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    const text = `${message.type()}: ${message.text()} (${message.location().url})`;
    (allow.test(message.text()) ? allowed : problems).push(text);
  });
}

/** The admin the demo printed: `  admin admin@demo.cadenza.dev  password …`. */
export function demoAdmin(output: string): { email: string; password: string } {
  const m = /^\s*admin\s+(\S+@\S+)\s+password\s+(\S+)/m.exec(output);
  if (!m) throw new Error(`no demo admin in the serve's output:\n${output}`);
  return { email: m[1]!, password: m[2]! };
}

/**
 * Vite's dev server for web/ on `port`, its /api (and tracking links) proxied to the serve on
 * `apiPort`, so a script pictures the sources without rebuilding web/dist. Start the serve
 * with PUBLIC_URL at this origin: sign-in from any other origin is refused.
 */
export async function startVite(port: number, apiPort: number) {
  const { createServer } = await import('vite');
  const target = `http://127.0.0.1:${apiPort}`;
  const server = await createServer({
    configFile: join(ROOT, 'web', 'vite.config.ts'),
    root: join(ROOT, 'web'),
    logLevel: 'warn',
    server: { port, host: '127.0.0.1', strictPort: true, proxy: { '/api': target, '/t/': target, '/u/': target } },
  });
  await server.listen();
  return { server, base: `http://127.0.0.1:${port}` };
}

/**
 * A screenshot script's run on the demo: a fresh `out` folder, a demo serve with Vite's
 * dev server on it (no build needed), `walk` at each width as the demo's admin, then the
 * console problems it collected (a non-zero exit when any).
 */
export async function walkDemoAsAdmin(
  what: string,
  out: string,
  walk: (browser: Browser, base: string, admin: { email: string; password: string }, width: number, problems: string[]) => Promise<void>,
  widths = [1280, 390],
) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const vitePort = await freePort();
  // PUBLIC_URL is the page's origin (Vite's): sign-in from any other origin is refused.
  const { serve } = await startDemo({ PUBLIC_URL: `http://127.0.0.1:${vitePort}` });
  let vite: Awaited<ReturnType<typeof startVite>> | null = null;
  const browser = await launchChromium();
  const problems: string[] = [];
  try {
    vite = await startVite(vitePort, Number(new URL(serve.url).port));
    console.log(`${what} screenshots of ${vite.base} → ${out}`);
    for (const width of widths) await walk(browser, vite.base, demoAdmin(serve.output()), width, problems);
  } finally {
    await browser.close();
    await vite?.server.close();
    await serve.stop();
  }
  reportProblems(problems);
}

/** The same as `checkAxe` (both names are in use by the scripts). */
export const axeProblems = (page: Page, what: string, problems: string[]) => checkAxe(page, what, problems);

/** axe-core (WCAG 2 A/AA) on the page as it is: a critical or serious violation goes to `problems`, the rest is printed. */
export async function checkAxe(page: Page, what: string, problems: string[]) {
  const results = await new AxeBuilder({ page } as never).withTags(['wcag2a', 'wcag2aa']).analyze();
  for (const v of results.violations) {
    const line = `axe ${what}: ${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`;
    if (v.impact === 'critical' || v.impact === 'serious') problems.push(line);
    else console.log(`  (${line})`);
  }
}
