import { configure, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, renderWithProviders } from '@/test/render.tsx';
import { LeadEnrollments, LeadTimeline } from './lead-panel.tsx';
import { CADENCE, enrollmentFixture, stubApi } from './lead-test-api.ts';

// The first render of a file imports React, Radix and the page on a busy machine: give finds time.
configure({ asyncUtilTimeout: 5000 });
afterEach(() => vi.unstubAllGlobals());

const at = (day: number, hour: number) => new Date(2026, 10, day, hour, 0).toISOString();

const TIMELINE = {
  items: [
    { at: at(12, 15), type: 'exited', title: 'Exited Outbound Q4', enrollmentId: 'e1', detail: 'replied: the lead replied' },
    { at: at(12, 14), type: 'email_replied', title: 'Replied to “Hello”', enrollmentId: 'e1' },
    { at: at(11, 10), type: 'email_clicked', title: 'Clicked a link in “Hello”', machine: false, detail: 'https://example.com/pricing' },
    { at: at(11, 9), type: 'email_opened', title: 'Opened “Hello”', machine: false },
    { at: at(10, 9), type: 'email_opened', title: 'Opened by a machine (a privacy proxy or a link scanner)', machine: true },
    { at: at(10, 9), type: 'email_opened', title: 'Opened by a machine (a privacy proxy or a link scanner)', machine: true },
    { at: at(10, 9), type: 'email_opened', title: 'Opened by a machine (a privacy proxy or a link scanner)', machine: true },
    { at: at(10, 8), type: 'email_sent', title: 'Email sent: Hello' },
  ],
};

describe('the lead timeline', () => {
  it('shows opens by people apart from opens by machines, and counts each', async () => {
    stubApi({ 'GET /api/leads/l1/timeline': json(200, TIMELINE) });
    renderWithProviders(<LeadTimeline leadId="l1" filters={[]} onFiltersChange={vi.fn()} />);

    expect(await screen.findByTestId('open-counts')).toHaveTextContent('1 open by people, 3 by machines');
    const human = screen.getByText('Opened “Hello”').closest('li')!;
    expect(human).not.toHaveAttribute('data-machine');
    // Three machine opens in a row read as one dimmed line, labelled, never as "Opened “Hello”".
    const machines = screen.getByText('3 opens by machines').closest('li')!;
    expect(machines).toHaveAttribute('data-machine');
    expect(within(machines).getByText('machine (privacy proxy / scanner)')).toBeInTheDocument();
    expect(screen.getAllByText(/^Opened/)).toHaveLength(1);
    expect(screen.getByRole('link', { name: 'https://example.com/pricing' })).toHaveAttribute('href', 'https://example.com/pricing');
  });

  it('says why an enrolment exited, in words', async () => {
    stubApi({ 'GET /api/leads/l1/timeline': json(200, TIMELINE) });
    renderWithProviders(<LeadTimeline leadId="l1" filters={[]} onFiltersChange={vi.fn()} />);
    const exited = (await screen.findByText('Exited Outbound Q4')).closest('li')!;
    expect(exited).toHaveTextContent('Why: the lead replied');
    expect(exited).not.toHaveTextContent('replied: the lead');
  });

  it('shows only the kinds a filter chip asks for, and changes the filter through the caller', async () => {
    stubApi({ 'GET /api/leads/l1/timeline': json(200, TIMELINE) });
    const onFiltersChange = vi.fn();
    const ui = renderWithProviders(<LeadTimeline leadId="l1" filters={['clicks']} onFiltersChange={onFiltersChange} />);
    expect(await screen.findByText('Clicked a link in “Hello”')).toBeInTheDocument();
    expect(screen.queryByText('Email sent: Hello')).not.toBeInTheDocument();
    await ui.user.click(screen.getByRole('button', { name: 'Opens' }));
    expect(onFiltersChange).toHaveBeenCalledWith(['clicks', 'opens']);
  });

  it('shows a reply from someone other than the lead as such, under the Replies chip', async () => {
    const other = { at: at(12, 16), type: 'reply_other', title: 'Reply from sam@acme.example (not the lead) to \u201cHello\u201d \u2014 the cadence goes on', emailId: 'm1' };
    stubApi({ 'GET /api/leads/l1/timeline': json(200, { items: [other, ...TIMELINE.items] }) });
    renderWithProviders(<LeadTimeline leadId="l1" filters={['replies']} onFiltersChange={vi.fn()} />);
    expect(await screen.findByText(other.title)).toBeInTheDocument();
    expect(screen.getByText('Replied to \u201cHello\u201d')).toBeInTheDocument();
    expect(screen.queryByText('Email sent: Hello')).not.toBeInTheDocument();
  });

  it('loads older items with the page cursor', async () => {
    const api = stubApi({
      'GET /api/leads/l1/timeline': ({ query }) => json(200, query.get('before')
        ? { items: [{ at: at(1, 9), type: 'enrolled', title: 'Enrolled in Outbound Q4' }] }
        : { ...TIMELINE, nextBefore: `${at(10, 8)}~k8` }),
    });
    const ui = renderWithProviders(<LeadTimeline leadId="l1" filters={[]} onFiltersChange={vi.fn()} />);
    await ui.user.click(await screen.findByRole('button', { name: 'Load older' }));
    expect(await screen.findByText('Enrolled in Outbound Q4')).toBeInTheDocument();
    expect(api.calls('GET', '/api/leads/l1/timeline').map((r) => r.query.get('before'))).toEqual([null, `${at(10, 8)}~k8`]);
    expect(screen.queryByRole('button', { name: 'Load older' })).not.toBeInTheDocument();
  });
});

describe('why an enrolment ended', () => {
  const ended = (over: Record<string, unknown>) => enrollmentFixture({ status: 'exited', nextStepId: undefined, nextDueAt: undefined, endedAt: at(12, 15), ...over });

  it.each([
    [{ exitReason: 'replied' }, 'Replied on 12 Nov'],
    [{ exitReason: 'meeting_booked' }, 'Meeting booked on 12 Nov'],
    [{ exitReason: 'unsubscribed' }, 'Unsubscribed on 12 Nov'],
    [{ exitReason: 'manual' }, 'Exited by hand on 12 Nov'],
    [{ status: 'completed', exitReason: undefined }, 'Finished every step on 12 Nov'],
  ])('%o reads "%s"', async (over, words) => {
    stubApi({
      'GET /api/enrollments': json(200, { items: [ended(over)] }),
      'GET /api/cadences/c1': json(200, CADENCE),
      'GET /api/leads/l1/timeline': json(200, { items: [] }),
    });
    renderWithProviders(<LeadEnrollments leadId="l1" leadName="Ada Lovelace" />);
    expect(await screen.findByText(words)).toBeInTheDocument();
  });

  it('names the field change that met the exit criteria', async () => {
    stubApi({
      'GET /api/enrollments': json(200, { items: [ended({ exitReason: 'criteria_met' })] }),
      'GET /api/cadences/c1': json(200, CADENCE),
      'GET /api/leads/l1/timeline': json(200, {
        items: [{ at: at(12, 15), type: 'field_changed', title: 'Changed status', detail: 'status: Working → Qualified' }],
      }),
    });
    renderWithProviders(<LeadEnrollments leadId="l1" leadName="Ada Lovelace" />);
    expect(await screen.findByText('Status changed to Qualified on 12 Nov')).toBeInTheDocument();
  });

  it('says until when a paused enrolment waits, from its pause on the timeline', async () => {
    const until = new Date(Date.now() + 5 * 86_400_000);
    stubApi({
      'GET /api/enrollments': json(200, { items: [enrollmentFixture({ status: 'paused' })] }),
      'GET /api/cadences/c1': json(200, CADENCE),
      'GET /api/leads/l1/timeline': json(200, {
        items: [{ at: at(12, 9), type: 'paused', title: 'Paused Outbound Q4', enrollmentId: 'e1', detail: `until ${until.toISOString()}` }],
      }),
    });
    renderWithProviders(<LeadEnrollments leadId="l1" leadName="Ada Lovelace" />);
    const day = until.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', ...(until.getFullYear() !== new Date().getFullYear() ? { year: 'numeric' } : {}) });
    expect(await screen.findByText(`Paused until ${day}, then step 2 of 3 runs (or resume it now)`)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Resume' })).toBeInTheDocument();
  });

  it('says where a running enrolment is: step n of m and when', async () => {
    stubApi({
      'GET /api/enrollments': json(200, { items: [enrollmentFixture({ nextDueAt: undefined })] }),
      'GET /api/cadences/c1': json(200, CADENCE),
      'GET /api/leads/l1/timeline': json(200, { items: [] }),
    });
    renderWithProviders(<LeadEnrollments leadId="l1" leadName="Ada Lovelace" />);
    expect(await screen.findByText('Step 2 of 3 next (call), after the open task is done')).toBeInTheDocument();
    expect(screen.getByText('Outbound Q4')).toBeInTheDocument();
  });
});
