/**
 * Screenshots of the cadence builder, to look at it: the demo's admin signs in, opens a
 * cadence of the demo workspace, opens a step, picks a lead for the preview, opens the
 * merge-field picker, saves a typo'd merge field (refused at its step), at 1280 and 390
 * px wide. PNGs go to web/e2e/cadence-builder-screenshots/ (git-ignored).
 *
 *   npx tsx web/e2e/cadence-builder-screens.ts   (a demo serve with Vite's dev server on it: no build needed)
 *
 * Exits non-zero on a console error.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { checkAxe, signIn, walkDemoAsAdmin, watchProblems } from './support/screens.ts';
import { ROOT } from './support/serve.ts';

const OUT = join(ROOT, 'web', 'e2e', 'cadence-builder-screenshots');

async function walk(browser: Browser, base: string, admin: { email: string; password: string }, width: number, problems: string[]) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  // 4xx answers the walk causes on purpose (the session probe, the refused save) are answers, not faults.
  watchProblems(page, problems, /Failed to load resource: the server responded with a status of (400|401|404)/);
  const shot = async (name: string, p: Page = page, fullPage = false) => {
    await p.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => console.log('  (the network is still busy)'));
    await p.screenshot({ path: join(OUT, `${name}-${width}.png`), animations: 'disabled', fullPage });
    console.log(`  ${name}-${width}.png  ${p.url().replace(base, '')}`);
  };

  await signIn(page, base, admin);
  const list = await (await page.request.get(`${base}/api/cadences`)).json();
  const cadence = (list.items as Array<{ id: string; status: string; name: string }>).find((c) => c.status === 'active') ?? list.items[0];
  if (!cadence) throw new Error('the demo has no cadence');

  await page.goto(`${base}/admin/cadences/${cadence.id}`);
  await page.getByRole('list', { name: 'Steps' }).waitFor();
  await shot('01-builder');
  await shot('02-builder-full', page, true);

  // Open the second step's editor.
  await page.getByRole('list', { name: 'Steps' }).getByRole('button', { name: /^2\. / }).click();
  await shot('03-step-open');
  await checkAxe(page, `the builder at ${width} px`, problems);

  // A condition on the third step, and automatic enrolment with its live count.
  const third = page.getByRole('listitem', { name: 'Step 3' });
  const thirdRow = third.getByRole('button', { name: /^3\. / });
  if ((await thirdRow.getAttribute('aria-expanded')) !== 'true') await thirdRow.click();
  await third.getByRole('button', { name: /Add a condition|Change/ }).click();
  await page.getByRole('dialog', { name: 'Condition' }).waitFor();
  await shot('03b-condition');
  await page.keyboard.press('Escape');
  await thirdRow.click();
  const auto = page.getByRole('checkbox', { name: 'Enrol automatically by a filter' });
  if (!(await auto.isChecked())) await auto.check();
  await page.getByText(/Matches [\d,]+\+? leads now|Could not count/).waitFor();
  await auto.scrollIntoViewIfNeeded();
  await shot('03c-auto-enrol');
  await auto.uncheck();

  // Preview for a lead.
  await page.getByRole('combobox', { name: 'Preview for a lead' }).fill('a');
  await page.getByRole('listbox', { name: 'Leads' }).getByRole('option').first().click();
  await page.getByRole('list', { name: 'Rendered steps' }).or(page.getByText('Could not render the preview')).first().waitFor();
  await shot('04-preview', page, width < 800);

  // The merge-field picker on the first step's body.
  const first = page.getByRole('listitem', { name: /^Step \d+$/ }).filter({ has: page.getByRole('button', { name: /^\d+\. Email/ }) }).first();
  const emailRow = first.getByRole('button', { name: /^\d+\. Email/ });
  if ((await emailRow.getAttribute('aria-expanded')) !== 'true') await emailRow.click();
  await first.getByRole('button', { name: 'Insert a merge field in the body' }).click();
  await page.getByRole('dialog', { name: /Merge fields/ }).waitFor();
  await shot('05-merge-picker');
  await page.keyboard.press('Escape');

  // A typo'd merge field, saved with Ctrl+S: refused at its field.
  const body = first.getByRole('textbox', { name: 'Body' });
  await body.click();
  await body.press('End');
  await body.pressSequentially(' {{lead.frstName}}');
  await body.press('Control+s');
  await page.getByText(/^Not saved/).waitFor({ state: 'attached' });
  await body.scrollIntoViewIfNeeded();
  await shot('06-save-refused');
  await checkAxe(page, `the builder with a refused save at ${width} px`, problems);

  // Leaving with unsaved changes asks first.
  await page.getByRole('link', { name: 'Today' }).first().click().catch(() => undefined);
  await page.getByRole('dialog', { name: 'Leave without saving?' }).waitFor({ timeout: 5000 }).catch(() => undefined);
  await shot('07-leave-guard');
  await context.close();
}

await walkDemoAsAdmin('cadence builder', OUT, walk);
