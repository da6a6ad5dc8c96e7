import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json } from '@/test/render.tsx';
import { renderFocusMode, stubApi, taskItem, type SeenRequest } from './focus-mode.fixtures.tsx';

vi.mock('@/features/lead/lead-panel.tsx', () => ({ LeadPanel: () => <aside>Lead panel</aside> }));

afterEach(() => vi.unstubAllGlobals());

/** The first look waits longer: the router's first render on a busy machine. */
const FIRST = { timeout: 10_000 };

const email = taskItem(1, { type: 'email', title: 'Email: Idea for you', body: undefined });
const next = taskItem(2, { title: 'Call lead 2' });

/** The draft as `GET /api/tasks/:id/draft` renders it: the company has no value for this lead. */
const draft = {
  to: 'lead1@example.com',
  from: 'Rita Rep <rita@example.com>',
  subject: 'An idea for {{ lead.company }}',
  body: 'Hi Lena,\n\nTeams like {{ lead.company }} often plan by hand.\n\nRita',
  format: 'text',
  threaded: false,
  missing: ['lead.company'],
};
const answerDraft = (r: SeenRequest) => (r.path === `/api/tasks/${email.id}/draft` ? json(200, draft) : undefined);

describe('a manual email in focus mode', () => {
  it('blocks the send while a merge field has no value, names it, and lifts the block once the rep replaces it', async () => {
    const api = stubApi([email, next], answerDraft);
    const { user } = renderFocusMode([email, next]);
    const block = await screen.findByRole('alert', {}, FIRST);
    expect(block).toHaveTextContent('A merge field has no value for this lead');
    expect(block).toHaveTextContent('{{ lead.company }} (the lead’s company) in the subject and the body');
    const send = screen.getByRole('button', { name: /Send email/ });
    expect(send).toBeDisabled();
    expect(send).toHaveAccessibleDescription(/no value for this lead/);

    // Ctrl+Enter from the body does not send either.
    await user.click(screen.getByLabelText('Body'));
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(api.writes()).toEqual([]);

    // The body fixed, the subject still prints it: still blocked, now for the subject only.
    await user.clear(screen.getByLabelText('Body'));
    await user.type(screen.getByLabelText('Body'), 'Hi Lena, teams like Northwind often plan by hand.');
    expect(screen.getByRole('alert')).toHaveTextContent('{{ lead.company }} (the lead’s company) in the subject');
    expect(screen.getByRole('alert')).not.toHaveTextContent('in the subject and the body');
    expect(send).toBeDisabled();

    // A fallback counts as a value.
    fireEvent.change(screen.getByLabelText('Subject'), { target: { value: 'An idea for {{ lead.company | fallback: "your team" }}' } });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(send).toBeEnabled();

    await user.click(screen.getByLabelText('Body'));
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]).toEqual({
      method: 'POST',
      path: `/api/tasks/${email.id}/send`,
      body: { subject: 'An idea for {{ lead.company | fallback: "your team" }}', body: 'Hi Lena, teams like Northwind often plan by hand.' },
    });
    expect(await screen.findByText('Sent from Rita Rep <rita@example.com>')).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Call lead 2' })).toBeInTheDocument();
  });

  it('takes the server\'s 422 as the final word: the fields it names block the send', async () => {
    const clean = { ...draft, subject: 'An idea', body: 'Hi Lena,\n\nRita', missing: [] };
    const api = stubApi([email, next], (r) => {
      if (r.path === `/api/tasks/${email.id}/draft`) return json(200, clean);
      if (r.path === `/api/tasks/${email.id}/send`) {
        return json(422, { error: { code: 'unprocessable', message: 'merge fields without a value (body: lead.title): fill them in or give them a fallback', details: { missing: ['lead.title'] } } });
      }
      return undefined;
    });
    const { user } = renderFocusMode([email, next]);
    const body = await screen.findByLabelText('Body', {}, FIRST);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await user.type(body, '\nPS: how is the new {{{{ lead.title }} role?');
    await user.click(screen.getByRole('button', { name: /Send email/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('{{ lead.title }} (the lead’s title) in the body');
    expect(screen.getByRole('button', { name: /Send email/ })).toBeDisabled();
    expect(api.writes()).toHaveLength(1);
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent('Email: Idea for you');
  });
});
