import { createMemoryHistory, createRouter, RouterProvider } from '@tanstack/react-router';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { configure, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LeadImportReport } from '@contract/lead-import.ts';
import { routeTree } from '@/app/router.tsx';
import { OUTBOUND } from '@/features/cadences/cadences-fixtures.ts';
import { stubApi } from '@/features/lead/lead-test-api.ts';
import { json, renderWithProviders } from '@/test/render.tsx';

// The first render of a file imports React, Radix, the shell and the lazy page on a busy machine.
configure({ asyncUtilTimeout: 15_000 });
afterEach(() => vi.unstubAllGlobals());

const ADMIN = { id: 'u1', name: 'Ada Admin', email: 'ada@example.com', role: 'admin', timezone: null, createdAt: '2026-10-01T09:00:00.000Z' };

const COLUMNS: LeadImportReport['columns'] = [
  { index: 1, header: 'E-mail', kind: 'field', field: 'email' },
  { index: 2, header: 'First Name', kind: 'field', field: 'firstName' },
  { index: 3, header: 'Industry', kind: 'custom', key: 'Industry' },
];
const DRY: LeadImportReport = {
  created: 1, updated: 1, dryRun: true, rows: 3, columns: COLUMNS,
  rejected: [{ line: 4, email: 'bad', reason: 'E-mail "bad": expected an email address' }],
  preview: [
    { line: 2, action: 'create', email: 'new@x.example', firstName: 'Nia', fields: { Industry: 'Retail' } },
    { line: 3, action: 'update', email: 'known@x.example', fields: {} },
  ],
};

/** Stands in for XMLHttpRequest (jsdom sends nothing): answers each upload with the next answer, after a progress event. */
function fakeUploads(...answers: Array<{ status: number; body: unknown }>) {
  const sent: Array<{ url: string; contentType: string; body: unknown }> = [];
  class FakeXhr {
    upload: { onprogress: ((e: object) => void) | null; onload: (() => void) | null } = { onprogress: null, onload: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    withCredentials = false;
    status = 0;
    responseText = '';
    private url = '';
    private headers: Record<string, string> = {};
    open(_method: string, url: string) { this.url = url; }
    setRequestHeader(name: string, value: string) { this.headers[name] = value; }
    getResponseHeader() { return null; }
    abort() {}
    send(body: unknown) {
      sent.push({ url: this.url, contentType: this.headers['content-type'], body });
      const answer = answers.shift() ?? { status: 500, body: { error: { code: 'unexpected', message: 'no upload expected' } } };
      // Answers after send returns, as a real request does (no time passes).
      queueMicrotask(() => {
        this.upload.onprogress?.({ loaded: 5, total: 10, lengthComputable: true });
        this.upload.onload?.();
        this.status = answer.status;
        this.responseText = JSON.stringify(answer.body);
        this.onload?.();
      });
    }
  }
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  return sent;
}

function openImport(routes: Parameters<typeof stubApi>[0] = {}) {
  vi.stubGlobal('scrollTo', vi.fn());
  const api = stubApi({ 'GET /api/users/me': json(200, ADMIN), 'GET /api/cadences': json(200, { items: [OUTBOUND] }), ...routes });
  const make = (queryClient: QueryClient) =>
    createRouter({ routeTree, context: { queryClient }, history: createMemoryHistory({ initialEntries: ['/admin/leads/import'] }) });
  function App() {
    const queryClient = useQueryClient();
    const [made] = useState(() => make(queryClient));
    return <RouterProvider router={made} />;
  }
  return { ...renderWithProviders(<App />), api };
}

const csv = (name = 'leads.csv', size?: number) => {
  const file = new File(['E-mail,First Name,Industry\nnew@x.example,Nia,Retail\n'], name, { type: 'text/csv' });
  if (size !== undefined) Object.defineProperty(file, 'size', { value: size });
  return file;
};

describe('importing leads from a CSV file', () => {
  it('checks the file first (nothing written), shows how columns are read, the first rows and the rows left out, then imports it', async () => {
    const sent = fakeUploads({ status: 200, body: DRY }, { status: 201, body: { ...DRY, dryRun: false, preview: undefined } });
    const page = openImport();
    await page.user.upload(await screen.findByLabelText(/Choose a CSV file/), csv());

    expect(await screen.findByRole('heading', { name: 'leads.csv: 3 rows checked' })).toHaveFocus();
    expect(sent).toEqual([{ url: '/api/leads/import?dryRun=true', contentType: 'text/csv', body: expect.any(File) }]);
    expect(screen.getByRole('list', { name: 'What the import would do' })).toHaveTextContent('1 new leads1 updates of known leads1 rows left out');
    const mapping = screen.getByRole('table', { name: 'How the columns are read' });
    expect(within(mapping).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual(['E-mailEmail', 'First NameFirst name', 'IndustryCustom field "Industry"']);
    const preview = screen.getByRole('table', { name: 'The first rows as they would be stored' });
    expect(within(preview).getAllByRole('row')[1]).toHaveTextContent(/2New lead.*new@x\.example.*Nia.*Industry: Retail/);
    expect(within(preview).getAllByRole('row')[2]).toHaveTextContent(/3Update.*known@x\.example/);
    const left = screen.getByRole('table', { name: 'Rows left out: 1' });
    expect(within(left).getAllByRole('row')[1]).toHaveTextContent('4bad' + 'E-mail "bad": expected an email address');

    await page.user.click(screen.getByRole('button', { name: 'Import 2 leads' }));
    expect(await screen.findByRole('heading', { name: 'leads.csv imported' })).toHaveFocus();
    expect(sent[1].url).toBe('/api/leads/import');
    expect(screen.getByRole('list', { name: 'What the import did' })).toHaveTextContent('1 lead created1 lead updated1 rows left out');
    expect(screen.getByRole('link', { name: 'See the leads' })).toHaveAttribute('href', '/leads');
  }, 60_000);

  it('enrols the file\u2019s leads in the cadence picked, saying first who would be refused and who would wait, then what happened', async () => {
    const done: LeadImportReport = {
      ...DRY, dryRun: false, preview: undefined, enrolled: 1,
      enrollment: { cadenceId: OUTBOUND.id, pending: 1, refused: [{ line: 5, email: 'gone@x.example', reason: 'unsubscribed' }] },
    };
    const rehearsed: LeadImportReport = { ...done, dryRun: true };
    const sent = fakeUploads({ status: 200, body: DRY }, { status: 200, body: rehearsed }, { status: 201, body: done });
    const page = openImport();
    await page.user.upload(await screen.findByLabelText(/Choose a CSV file/), csv());
    await page.user.click(await screen.findByRole('checkbox', { name: /Enrol the file.s leads in a cadence/ }));
    const importButton = screen.getByRole('button', { name: 'Import 2 leads' });
    expect(importButton).toBeDisabled(); // no cadence picked yet
    await page.user.click(await screen.findByRole('radio', { name: /Outbound Q4/ }));

    // Before anything is written: the server rehearses the enrolment.
    expect(await screen.findByText(/1 lead would be enrolled, of which 1 wait to start/)).toBeInTheDocument();
    expect(sent[1].url).toBe(`/api/leads/import?dryRun=true&cadenceId=${OUTBOUND.id}`);
    const wouldRefuse = screen.getByRole('table', { name: 'Leads not enrolled: 1' });
    expect(within(wouldRefuse).getAllByRole('row')[1]).toHaveTextContent('5gone@x.exampleunsubscribed');

    await page.user.click(importButton);
    expect(await screen.findByRole('heading', { name: 'leads.csv imported' })).toBeInTheDocument();
    expect(sent[2].url).toBe(`/api/leads/import?cadenceId=${OUTBOUND.id}`);
    expect(screen.getByRole('list', { name: 'What the import did' })).toHaveTextContent('1 enrolled');
    expect(screen.getByText(/1 enrolment wait to start/)).toBeInTheDocument();
    const refused = screen.getByRole('table', { name: 'Leads not enrolled: 1' });
    expect(within(refused).getAllByRole('row')[1]).toHaveTextContent('5gone@x.exampleunsubscribed');
  }, 60_000);

  it('a file the server cannot read says why and offers the picker again; a file over the limit is refused before it is sent', async () => {
    const sent = fakeUploads({ status: 400, body: { error: { code: 'invalid_request', message: 'no email column: the header must name one; columns found: "Name"' } } });
    const page = openImport();
    await page.user.upload(await screen.findByLabelText(/Choose a CSV file/), csv('people.csv'));
    expect(await screen.findByRole('alert')).toHaveTextContent('people.csv: no email column: the header must name one; columns found: "Name"');
    expect(screen.getByLabelText(/Choose a CSV file/)).toBeInTheDocument();

    await page.user.upload(screen.getByLabelText(/Choose a CSV file/), csv('huge.csv', 60 * 2 ** 20));
    expect(await screen.findByRole('alert')).toHaveTextContent('huge.csv is 60 MB: an import takes at most 50 MB');
    expect(sent).toHaveLength(1);
  }, 60_000);
});
