import { createMemoryHistory, createRootRoute, createRoute, createRouter, Outlet, RouterProvider } from '@tanstack/react-router';
import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LEAD, stubApi } from '@/features/lead/lead-test-api.ts';
import { json, renderWithProviders } from '@/test/render.tsx';
import { CadenceBuilder, type CadenceBuilderProps } from './cadence-builder.tsx';
import { stepDays } from './step-days.ts';

configure({ asyncUtilTimeout: 5000 });
// The whole builder renders in jsdom on each keystroke: on a busy 2-core machine a test can pass 20 s.
vi.setConfig({ testTimeout: 60_000 });
afterEach(() => vi.unstubAllGlobals());

const email = (id: string, subject: string, body: string, delay: { amount: number; unit: string }, extra: object = {}) => ({
  id, type: 'email', mode: 'auto', title: null, instructions: null, priority: 'normal', subject, body, delay, condition: null, threadWithPrevious: false, ...extra,
});

const CADENCE = {
  id: 'c1', status: 'active', version: 3, name: 'Outbound Q4', module: 'lead',
  steps: [
    email('s1', 'Hello {{lead.firstName}}', 'Hi there', { amount: 0, unit: 'days' }),
    { id: 's2', type: 'call', title: 'Call them', instructions: null, priority: 'high', delay: { amount: 2, unit: 'business_days' }, condition: null },
    email('s3', 'Following up', 'Hi {{ lead.frstName | fallback: "there" }}', { amount: 3, unit: 'days' }, { condition: { stepId: 's1', is: 'not_replied' } }),
  ],
  boosts: [], schedule: { days: [1, 2, 3, 4, 5], windows: [{ start: '09:00', end: '17:00' }], timezone: null },
  exitOn: { onReply: true, replyFrom: 'address', onMeeting: true, onConversion: true, fieldCriteria: [], callOutcomes: [], endDate: null },
  waitForTasks: true, taskTimeoutDays: 14, reenrollment: 'never', throttle: null, autoEnroll: null,
  createdAt: '2026-10-01T09:00:00.000Z', updatedAt: '2026-10-01T09:00:00.000Z', enrollmentsByVersion: { 2: 4, 3: 8 },
} as unknown as CadenceBuilderProps['cadence'];

const patched = (body: object) => ({ ...CADENCE, ...body, version: 4, previousVersion: 3, runningEnrollments: 12 });

/** The builder alone in a router (it guards leaving with unsaved changes), the API stubbed at fetch. */
function openBuilder(routes: Parameters<typeof stubApi>[0] = {}, previewLeadId?: string, cadence = CADENCE) {
  vi.stubGlobal('scrollTo', vi.fn());
  const api = stubApi({ 'GET /api/merge-fields': json(200, { items: [] }), ...routes });
  const rootRoute = createRootRoute({ component: Outlet });
  const builder = createRoute({
    getParentRoute: () => rootRoute,
    path: '/',
    component: () => <CadenceBuilder cadence={cadence} workingDays={[1, 2, 3, 4, 5]} previewLeadId={previewLeadId} onPreviewLeadChange={() => {}} />,
  });
  const elsewhere = createRoute({ getParentRoute: () => rootRoute, path: '/elsewhere', component: () => <h1>Elsewhere</h1> });
  const router = createRouter({ routeTree: rootRoute.addChildren([builder, elsewhere]), history: createMemoryHistory({ initialEntries: ['/'] }) });
  const ui = renderWithProviders(<RouterProvider router={router} />);
  return { ...ui, api, router };
}

const stepRows = () => within(screen.getByRole('list', { name: 'Steps' })).getAllByRole('listitem').filter((li) => /^Step \d+$/.test(li.getAttribute('aria-label') ?? ''));

describe('Day N', () => {
  it('counts delays from the enrolment, with a range where business days depend on the weekday', () => {
    const days = stepDays([{ amount: 0, unit: 'days' }, { amount: 2, unit: 'business_days' }, { amount: 3, unit: 'days' }, { amount: 30, unit: 'hours' }]);
    // Enrolled on a Monday, 2 business days is Wednesday (Day 3); on a Thursday, Monday (Day 5).
    expect(days).toEqual([{ first: 1, last: 1 }, { first: 3, last: 5 }, { first: 6, last: 8 }, { first: 7, last: 9 }]);
    expect(stepDays([{ amount: 1, unit: 'business_days' }], [1, 2, 3, 4, 5, 6, 7])).toEqual([{ first: 2, last: 2 }]);
  });

  it('shows each step’s Day N and recomputes it when a delay changes', async () => {
    const { user } = openBuilder();
    expect(await screen.findByRole('list', { name: 'Steps' })).toBeInTheDocument();
    const rows = stepRows();
    expect(within(rows[0]!).getByText('Day 1')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Day 3–5')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Day 6–8')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Only if step 1 not replied')).toBeInTheDocument();

    await user.click(within(rows[1]!).getByRole('button', { name: /^2\. Call/ }));
    const amount = within(rows[1]!).getByRole('spinbutton', { name: 'Wait after the previous step' });
    await user.clear(amount);
    await user.type(amount, '7');
    await user.selectOptions(within(rows[1]!).getByRole('combobox', { name: 'Unit' }), 'days');
    expect(within(stepRows()[1]!).getByText('Day 8')).toBeInTheDocument();
    expect(within(stepRows()[2]!).getByText('Day 11')).toBeInTheDocument();
  });
});

describe('saving', () => {
  it('shows a server merge-field error at the body of the step it names, opening that step', async () => {
    const { user, api } = openBuilder({
      'PATCH /api/cadences/c1': json(400, {
        error: {
          code: 'invalid_cadence',
          message: 'body.steps.2.body: unknown merge field lead.frstName',
          details: [{ path: 'body.steps.2.body', message: 'unknown merge field lead.frstName (did you mean lead.firstName?)', field: 'lead.frstName', suggestion: 'lead.firstName', stepIndex: 2, stepType: 'email' }],
        },
      }),
    });
    const name = await screen.findByRole('textbox', { name: 'Name' });
    await user.type(name, ' (EMEA)');
    fireEvent.keyDown(name, { key: 's', ctrlKey: true });

    await waitFor(() => expect(api.calls('PATCH', '/api/cadences/c1')).toHaveLength(1));
    const third = stepRows()[2]!;
    const body = await within(third).findByRole('textbox', { name: 'Body' });
    expect(body).toHaveAttribute('aria-invalid', 'true');
    expect(body).toHaveAccessibleDescription('Unknown merge field lead.frstName (did you mean lead.firstName?).');
    expect(body).toHaveFocus();
    expect(within(third).getByText('needs a fix')).toBeInTheDocument();
    // The server's suggestion fixes it in one click, keeping the fallback.
    await user.click(within(third).getByRole('button', { name: 'Use lead.firstName instead of lead.frstName' }));
    expect(body).toHaveValue('Hi {{ lead.firstName | fallback: "there" }}');
    expect(body).toHaveAttribute('aria-invalid', 'false');
    expect(screen.getByText(/^Not saved/)).toBeInTheDocument();
    // The whole definition went, as GET answered it, with the edit.
    expect(api.calls('PATCH', '/api/cadences/c1')[0]!.body).toMatchObject({ name: 'Outbound Q4 (EMEA)', steps: [{ id: 's1' }, { id: 's2' }, { id: 's3' }] });
  });

  it('says that running enrolments follow the new version, before and after saving', async () => {
    const { user, api } = openBuilder({ 'PATCH /api/cadences/c1': (r) => json(200, patched(r.body as object)) });
    expect(await screen.findByText('This cadence is active: saving makes version 4.')).toBeInTheDocument();
    expect(screen.getByText(/Its 12 running enrolments follow the new version from their next step/)).toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: 'Name' }), '!');
    await user.click(screen.getAllByRole('button', { name: 'Save' })[0]!);
    await waitFor(() => expect(api.calls('PATCH', '/api/cadences/c1')).toHaveLength(1));
    expect(await screen.findByText('Saved as version 4. 12 running enrolments follow it from their next step.', { selector: '[role=status]' })).toBeInTheDocument();
  });
});

describe('exit rules', () => {
  it('counts replies from anyone at the lead\u2019s company when asked, and saves it as exitOn.replyFrom', async () => {
    const { user, api } = openBuilder({ 'PATCH /api/cadences/c1': (r) => json(200, patched(r.body as object)) });
    const box = await screen.findByRole('checkbox', { name: /Replies from anyone at the lead\u2019s company count/ });
    expect(box).not.toBeChecked();
    await user.click(box);
    await user.click(screen.getAllByRole('button', { name: 'Save' })[0]!);
    await waitFor(() => expect(api.calls('PATCH', '/api/cadences/c1')).toHaveLength(1));
    expect(api.calls('PATCH', '/api/cadences/c1')[0]!.body).toMatchObject({ exitOn: { onReply: true, replyFrom: 'domain' } });
    // Replies that do not exit at all: whose reply it is does not matter.
    await user.click(screen.getByRole('checkbox', { name: /^Replies\s*Out-of-office/ }));
    expect(box).toBeDisabled();
  });
});

describe('leaving with unsaved changes', () => {
  it('asks first: Stay keeps the edits, Leave drops them', async () => {
    const { user, router } = openBuilder();
    await user.type(await screen.findByRole('textbox', { name: 'Name' }), '!');
    void router.navigate({ to: '/elsewhere' as never });
    const ask = await screen.findByRole('dialog', { name: 'Leave without saving?' });
    await user.click(within(ask).getByRole('button', { name: 'Stay' }));
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveValue('Outbound Q4!');

    void router.navigate({ to: '/elsewhere' as never });
    await user.click(within(await screen.findByRole('dialog', { name: 'Leave without saving?' })).getByRole('button', { name: 'Leave without saving' }));
    expect(await screen.findByRole('heading', { name: 'Elsewhere' })).toBeInTheDocument();
  });
});

describe('an archived cadence', () => {
  it('is shown read-only, saying why and what to do instead', async () => {
    openBuilder({}, undefined, { ...CADENCE, status: 'archived' });
    expect(await screen.findByText('This cadence is archived and can no longer be edited.')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Name' })).toBeDisabled();
    expect(screen.getByRole('button', { name: /Reorder step 1/ })).toBeDisabled();
    expect(screen.getAllByRole('button', { name: 'Save' }).every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
  });
});

describe('reordering', () => {
  it('moves a step with Alt+↓ on its handle and from its menu, and saves the new order', async () => {
    const { user, api } = openBuilder({ 'PATCH /api/cadences/c1': (r) => json(200, patched(r.body as object)) });
    await screen.findByRole('list', { name: 'Steps' });
    const handle = screen.getByRole('button', { name: /Reorder step 1/ });
    handle.focus();
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(stepRows().map((r) => within(r).getAllByText(/^\d\. /)[0]!.textContent)).toEqual(['1. Call', '2. Email · automatic', '3. Email · automatic']);
    expect(within(stepRows()[0]!).getByText('Day 3–5')).toBeInTheDocument(); // the call still waits 2 business days, now from enrolment
    expect(within(stepRows()[1]!).getByText('Day 3–5')).toBeInTheDocument(); // and the email goes right after it
    expect(screen.getByText('Step moved to position 2 of 3.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Step 3 actions' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Move up' }));
    // The follow-up now comes before the email it is conditioned on: the chip says so.
    expect(within(stepRows()[1]!).getByText('Condition on a step that is not earlier')).toBeInTheDocument();

    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Name' }), { key: 's', ctrlKey: true });
    await waitFor(() => expect(api.calls('PATCH', '/api/cadences/c1')).toHaveLength(1));
    expect((api.calls('PATCH', '/api/cadences/c1')[0]!.body as { steps: Array<{ id: string }> }).steps.map((s) => s.id)).toEqual(['s2', 's3', 's1']);
  });

  it('adds a step at the end and deletes one, removing conditions that pointed at it', async () => {
    const { user } = openBuilder();
    await screen.findByRole('list', { name: 'Steps' });
    await user.click(screen.getByRole('button', { name: 'To-do' }));
    expect(stepRows()).toHaveLength(4);
    expect(within(stepRows()[3]!).getByRole('textbox', { name: 'Task title' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Step 1 actions' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete step' }));
    expect(stepRows()).toHaveLength(3);
    expect(screen.queryByText(/Only if step/)).not.toBeInTheDocument();
    expect(screen.getByText(/Step 1 deleted\. Removed what referred to it: step 2's condition\./)).toBeInTheDocument();
  });
});

describe('the preview', () => {
  it('renders the unsaved cadence for the picked lead and lists the merge fields it lacks', async () => {
    const { user, api } = openBuilder({
      'GET /api/leads/l1': json(200, LEAD),
      'POST /api/cadences/c1/preview': (r) => {
        const name = (r.body as { definition: { name: string } }).definition.name;
        return json(200, {
          recordId: 'l1',
          steps: [
            { stepId: 's1', index: 0, type: 'email', subject: `Hello Ada (${name})`, body: 'Hi there', bodyFormat: 'text', missing: [] },
            { stepId: 's2', index: 1, type: 'call', title: 'Call them', missing: [] },
            { stepId: 's3', index: 2, type: 'email', subject: 'Following up', body: 'Hi , about ', bodyFormat: 'text', missing: ['lead.company'] },
          ],
        });
      },
    }, 'l1');
    expect(await screen.findByText('Hello Ada (Outbound Q4)')).toBeInTheDocument();
    expect(screen.getByText('Ada Lovelace')).toBeInTheDocument();
    expect(screen.getByText(/1 merge field without a value for this lead/)).toBeInTheDocument();
    const rendered = within(screen.getByRole('list', { name: 'Rendered steps' })).getAllByRole('listitem');
    expect(within(rendered[2]!).getByText('lead.company')).toBeInTheDocument();
    expect(within(rendered[1]!).getByText('Day 3–5')).toBeInTheDocument();

    // An edit renders again, unsaved, once typing stops.
    await user.type(screen.getByRole('textbox', { name: 'Name' }), ' v2');
    expect(await screen.findByText('Hello Ada (Outbound Q4 v2)')).toBeInTheDocument();
    expect(api.calls('POST', '/api/cadences/c1/preview').at(-1)!.body).toMatchObject({ recordId: 'l1', definition: { name: 'Outbound Q4 v2', steps: [{ id: 's1' }, { id: 's2' }, { id: 's3' }] } });
    expect(api.calls('PATCH', '/api/cadences/c1')).toHaveLength(0);
  });
});
