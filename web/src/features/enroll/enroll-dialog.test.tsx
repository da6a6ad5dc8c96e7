import { configure, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubApi } from '@/features/lead/lead-test-api.ts';
import { DRAFT, OUTBOUND, PAUSED, PREFLIGHT, summary } from '@/features/cadences/cadences-fixtures.ts';
import { json, renderWithProviders } from '@/test/render.tsx';
import { EnrollDialog } from './enroll-dialog.tsx';

// The first render of a file imports React, Radix and the dialog on a busy machine: give finds time.
configure({ asyncUtilTimeout: 5000 });
afterEach(() => vi.unstubAllGlobals());

const IDS = ['l1', 'l2', 'l3', 'l4', 'l5'];
/** What the server did: Charles unsubscribed between the check and the commit. */
const ENROLLED = {
  enrolled: [
    { id: 'e1', recordId: 'l1', status: 'active' },
    { id: 'e3', recordId: 'l3', status: 'pending', waitingFor: 'throttle' },
  ],
  rejected: [{ recordId: 'l2', reason: 'unsubscribed' }, { recordId: 'l4', reason: 'unsubscribed' }, { recordId: 'l5', reason: 'already_enrolled' }],
};

describe('enrolling picked leads', () => {
  it('shows who would be refused or held back, by name and reason, before anything is enrolled', async () => {
    const api = stubApi({
      'POST /api/cadences/c1/enrollments/preflight': json(200, PREFLIGHT),
      'POST /api/cadences/c1/enrollments': json(201, ENROLLED),
    });
    const ui = renderWithProviders(<EnrollDialog open onOpenChange={() => {}} recordIds={IDS} cadenceId="c1" />);

    const dialog = await screen.findByRole('dialog', { name: 'Enrol 5 leads' });
    expect(await within(dialog).findByText('Outbound Q4', { selector: 'strong' })).toBeInTheDocument(); // into which cadence
    expect(await within(dialog).findByTestId('starts-now')).toHaveTextContent('2 leads would be enrolled and start now');
    expect(within(dialog).getByTestId('held')).toHaveTextContent("1 lead would be enrolled but held back");
    expect(within(dialog).getByTestId('refused')).toHaveTextContent('2 leads would be refused');
    expect(within(dialog).getByTestId('refused')).toHaveTextContent('Unsubscribed: 1');
    const refused = within(dialog).getByRole('list', { name: 'Refused (2)' });
    expect(refused).toHaveTextContent('Alan Turing');
    expect(refused).toHaveTextContent('Unsubscribed');
    expect(refused).toHaveTextContent('kathleen@booth.example'); // no name: the email says who
    expect(refused).toHaveTextContent('Already in this cadence');
    expect(within(dialog).getByRole('list', { name: 'Held back (1)' })).toHaveTextContent('Grace Hopper');
    expect(api.calls('POST', '/api/cadences/c1/enrollments/preflight')[0]!.body).toEqual({ recordIds: IDS });
    expect(api.calls('POST', '/api/cadences/c1/enrollments')).toHaveLength(0);

    // The held-back lead is enrolled too (it waits): 3 of the 5.
    await ui.user.click(within(dialog).getByRole('button', { name: /^Enrol 3 leads/ }));
    await vi.waitFor(() => expect(api.calls('POST', '/api/cadences/c1/enrollments')).toHaveLength(1));
    expect(api.calls('POST', '/api/cadences/c1/enrollments')[0]!.body).toEqual({ recordIds: IDS });
    await within(dialog).findByRole('button', { name: 'Done' });
    expect(dialog).toHaveTextContent('2 leads enrolled in Outbound Q4: 1 started now.');
    expect(within(dialog).getByRole('list', { name: 'Enrolled and waiting' })).toHaveTextContent("1 lead waiting: Held back by the cadence's daily limit");
    expect(dialog).toHaveTextContent('3 leads not enrolled: 1 of them since the check.');
    const notEnrolled = within(dialog).getByRole('list', { name: 'Not enrolled (3)' });
    expect(notEnrolled).toHaveTextContent('Charles Babbage · charles@engines.exampleUnsubscribed');
    expect(notEnrolled).toHaveTextContent('Alan Turing · alan@bletchley.exampleUnsubscribed');
  });

  it('offers nothing to enrol into an archived cadence, and says why', async () => {
    const archived = {
      ...PREFLIGHT,
      cadence: { id: 'c1', name: 'Outbound Q4', status: 'archived' },
      counts: { requested: 2, enrolled: 0, held: 0, refused: 2 },
      refusedByReason: { cadence_archived: 2 },
      heldByReason: {}, enrolled: [], held: [],
      refused: [
        { recordId: 'l1', name: 'Ada Lovelace', email: null, reason: 'cadence_archived', message: 'The cadence is archived' },
        { recordId: 'l2', name: 'Charles Babbage', email: null, reason: 'cadence_archived', message: 'The cadence is archived' },
      ],
    };
    const api = stubApi({ 'POST /api/cadences/c1/enrollments/preflight': json(200, archived) });
    renderWithProviders(<EnrollDialog open onOpenChange={() => {}} recordIds={['l1', 'l2']} cadenceId="c1" />);
    expect(await screen.findByText('“Outbound Q4” is archived')).toBeInTheDocument();
    expect(screen.getByTestId('refused')).toHaveTextContent('The cadence is archived: 2');
    expect(screen.getByRole('button', { name: 'Nobody to enrol' })).toBeDisabled();
    expect(api.calls('POST', '/api/cadences/c1/enrollments')).toHaveLength(0);
  });

  it('keeps the preflight on screen and says so when the enrolment is refused', async () => {
    stubApi({
      'POST /api/cadences/c1/enrollments/preflight': json(200, PREFLIGHT),
      'POST /api/cadences/c1/enrollments': json(409, { error: { code: 'invalid_state', message: 'an archived cadence takes no enrolments' } }),
    });
    const ui = renderWithProviders(<EnrollDialog open onOpenChange={() => {}} recordIds={IDS} cadenceId="c1" />);
    await ui.user.click(await screen.findByRole('button', { name: /^Enrol 3 leads/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Nobody was enrolledan archived cadence takes no enrolments');
    expect(screen.getByTestId('refused')).toBeInTheDocument();
  });
});

describe('enrolling from a cadence', () => {
  it('asks which cadence when none is given, then checks the leads against it', async () => {
    const api = stubApi({
      'GET /api/cadences': json(200, { items: [OUTBOUND, DRAFT, PAUSED, summary({ id: 'c9', name: 'Old', status: 'archived' })] }),
      'POST /api/cadences/c1/enrollments/preflight': json(200, PREFLIGHT),
    });
    const ui = renderWithProviders(<EnrollDialog open onOpenChange={() => {}} filter={{ q: 'acme' }} />);
    const picker = await screen.findByRole('group', { name: 'Cadence' });
    expect(within(picker).queryByText('Old')).not.toBeInTheDocument(); // an archived cadence takes no one
    expect(screen.getByText('Pick a cadence to see who would be enrolled.')).toBeInTheDocument();
    await ui.user.click(within(picker).getByRole('radio', { name: /Outbound Q4/ }));
    expect(await screen.findByTestId('refused')).toBeInTheDocument();
    expect(api.calls('POST', '/api/cadences/c1/enrollments/preflight')[0]!.body).toEqual({ filter: { q: 'acme' } });
  });

  it('asks which leads when opened from the cadences list, and says a draft’s leads wait for activation', async () => {
    const draft = { ...PREFLIGHT, cadence: { id: 'c2', name: 'Inbound follow-up', status: 'draft' } };
    const api = stubApi({ 'POST /api/cadences/c2/enrollments/preflight': json(200, draft) });
    const ui = renderWithProviders(<EnrollDialog open onOpenChange={() => {}} cadenceId="c2" />);
    await ui.user.click(await screen.findByRole('button', { name: 'Check these leads' }));
    expect(await screen.findByText('Say which leads: a search, a status, or both.')).toBeInTheDocument();
    expect(api.calls('POST', '/api/cadences/c2/enrollments/preflight')).toHaveLength(0);

    await ui.user.type(screen.getByLabelText('With status'), 'New');
    await ui.user.click(screen.getByRole('button', { name: 'Check these leads' }));
    expect(await screen.findByText('“Inbound follow-up” is draft')).toBeInTheDocument();
    expect(screen.getByText('Leads enrolled now wait, and start when it is activated.')).toBeInTheDocument();
    expect(api.calls('POST', '/api/cadences/c2/enrollments/preflight')[0]!.body).toEqual({ filter: { status: 'New' } });
  });
});
