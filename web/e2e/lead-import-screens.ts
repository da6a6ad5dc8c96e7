/**
 * Screenshots of importing leads from a CSV file, to look at them: the demo's admin opens
 * /admin/leads/import, picks a file (a few good rows, an update of a demo lead, bad rows),
 * reads the check (column mapping, first rows, rows left out), ticks Enrol and picks a
 * cadence, imports, and reads the report; then a Latin-1 file is refused. At 1280 and
 * 390 px wide; PNGs go to web/e2e/lead-import-screenshots/.
 *
 *   npx tsx web/e2e/lead-import-screens.ts     a demo serve + Vite's dev server on it (no build needed)
 *
 * Exits non-zero on a console error, an uncaught page error, or a critical or serious
 * axe-core (WCAG 2 A/AA) violation on the picker, the check or the report.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { axeProblems, signIn, walkDemoAsAdmin, watchProblems } from './support/screens.ts';
import { ROOT } from './support/serve.ts';

const OUT = join(ROOT, 'web', 'e2e', 'lead-import-screenshots');

const csv = (width: number) => [
  'E-mail,First Name,Last Name,Company Name,Owner,Lead Status,Industry',
  `nadia.${width}@northwind.example,Nadia,Kaur,Northwind,,New,Retail`,
  `omar.${width}@contoso.example,Omar,Haddad,"Contoso, Ltd",,Working,Manufacturing`,
  `li.${width}@fabrikam.example,Li,Wei,Fabrikam,,,Logistics`,
  'not-an-email,Bad,Row,Nowhere,,,',
  `zed.${width}@tailspin.example,Zed,Owner,Tailspin,nobody@example.com,,`,
  `omar.${width}@CONTOSO.example,Omar,Again,,,,`,
].join('\n') + '\n';

export async function walk(browser: Browser, base: string, admin: { email: string; password: string }, width: number, problems: string[]) {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 800 }, deviceScaleFactor: 1, locale: 'en-GB' });
  const page = await context.newPage();
  // The refused file's 415 is an answer the page shows, not a problem.
  watchProblems(page, problems, /Failed to load resource: the server responded with a status of (401|415)/);
  const shot = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(OUT, `${name}-${width}.png`), animations: 'disabled', fullPage: true });
    console.log(`  ${name}-${width}.png  ${page.url().replace(base, '')}`);
  };
  await signIn(page, base, admin);
  await page.goto(`${base}/admin/leads/import`);
  const input = page.getByLabel(/Choose a CSV file/);
  await input.waitFor({ state: 'attached' });
  await shot('01-pick');
  await axeProblems(page, `the file picker at ${width} px`, problems);

  await input.setInputFiles({ name: 'trade-show.csv', mimeType: 'text/csv', buffer: Buffer.from(csv(width)) });
  await page.getByRole('heading', { name: /rows checked/ }).waitFor();
  await shot('02-checked');
  await axeProblems(page, `the check at ${width} px`, problems);

  await page.getByRole('checkbox', { name: /Enrol the file.s leads/ }).check();
  await page.getByRole('radio').first().check();
  await shot('03-enrol');
  await page.getByRole('button', { name: /^Import \d+ leads?$/ }).click();
  await page.getByRole('heading', { name: /imported$/ }).waitFor();
  await shot('04-report');
  await axeProblems(page, `the report at ${width} px`, problems);

  await page.getByRole('button', { name: 'Import another file' }).click();
  await page.getByLabel(/Choose a CSV file/).setInputFiles({ name: 'export-latin1.csv', mimeType: 'text/csv', buffer: Buffer.from('email,name\nzoe@x.example,Zo\xe9\n', 'latin1') });
  await page.getByRole('alert').waitFor();
  await shot('05-refused');
  await context.close();
}

// Run as a script (not when a runner imports the walk).
if (process.argv[1]?.endsWith('lead-import-screens.ts')) await walkDemoAsAdmin('Lead import', OUT, walk);
