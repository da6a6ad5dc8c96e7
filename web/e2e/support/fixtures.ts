/**
 * The browser tests' `test`: the server the global setup started as baseURL, and for
 * every test a guard that fails it on any console error or uncaught page error, in any
 * page of its browser context. The one message allowed is the browser's own log line
 * for the app's session probe answering 401 before sign-in (GET /api/users/me).
 */
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

/** A failed answer the browser logs as a console error, that is an answer, not a fault. */
interface AllowedMessage {
  /** The resource's pathname. */
  path: string;
  status: number;
}

/** The app's session probe before sign-in: "not signed in" is its answer. */
const ALLOWED: AllowedMessage[] = [{ path: '/api/users/me', status: 401 }];

export const test = base.extend<{ consoleGuard: void; expectedAnswers: AllowedMessage[] }>({
  /** A test that provokes a refusal on purpose (a form's 400) says so: `expectedAnswers.push({ path, status })`. */
  expectedAnswers: async ({}, use) => use([]),
  baseURL: async ({}, use) => {
    const url = process.env.E2E_BASE_URL;
    if (!url) throw new Error('E2E_BASE_URL is not set: run through web/e2e/playwright.config.ts (its global setup starts cadenza serve)');
    await use(url);
  },
  consoleGuard: [async ({ context, expectedAnswers }, use) => {
    const problems: string[] = [];
    context.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location().url;
      const status = /status of (\d{3})/.exec(message.text())?.[1];
      const path = where ? new URL(where).pathname : '';
      if (status && [...ALLOWED, ...expectedAnswers].some((a) => a.status === Number(status) && a.path === path)) return;
      problems.push(`console error on ${message.page()?.url() ?? '?'}: ${message.text()} (${where})`);
    });
    context.on('weberror', (error) => problems.push(`page error on ${error.page()?.url() ?? '?'}: ${error.error().message}`));
    await use();
    expect(problems, 'console errors and page errors').toEqual([]);
  }, { auto: true }],
});

export { expect };

/**
 * axe-core (WCAG 2 A and AA rules) on the page as it is now: no critical or serious
 * violation. Moderate and minor ones are attached to the report, not failed on.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const describe = (v: (typeof results.violations)[number]) =>
    `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')}${v.nodes.length > 5 ? ` (+${v.nodes.length - 5})` : ''}`;
  const blocking = results.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
  const others = results.violations.filter((v) => !blocking.includes(v));
  if (others.length) await test.info().attach(`axe ${what} (moderate, minor)`, { body: others.map(describe).join('\n'), contentType: 'text/plain' });
  expect(blocking.map(describe), `axe: critical or serious WCAG 2 A/AA violations on ${what}`).toEqual([]);
}

/** Signs the page's browser context in through the API, as the sign-in form does. */
export async function signInAs(page: Page, baseURL: string, who: { email: string; password: string }): Promise<void> {
  const res = await page.request.post('/api/session', { data: { email: who.email, password: who.password }, headers: { origin: baseURL } });
  expect(res.status(), `signing in as ${who.email}`).toBe(200);
}
