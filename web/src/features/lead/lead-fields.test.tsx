import { configure, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Lead } from '@contract/leads.ts';
import { json, renderWithProviders } from '@/test/render.tsx';
import { LeadFields } from './lead-fields.tsx';
import { LEAD, stubApi } from './lead-test-api.ts';

// The first render of a file imports React, Radix and the page on a busy machine: give finds time.
configure({ asyncUtilTimeout: 5000 });
afterEach(() => vi.unstubAllGlobals());

function Editable({ lead }: { lead: Lead }) {
  const [editing, setEditing] = useState(true);
  return <LeadFields lead={lead} editing={editing} onEditingChange={setEditing} />;
}

const lead = LEAD as Lead;

describe('the lead fields form', () => {
  it('shows the server\'s field error at its field', async () => {
    const api = stubApi({
      'PATCH /api/leads/l1': json(400, {
        error: { code: 'invalid_request', message: 'body.email: already used by another lead', details: [{ path: 'body.email', message: 'already used by another lead' }] },
      }),
      'GET /api/leads/l1/timeline': json(200, { items: [] }),
      'GET /api/enrollments': json(200, { items: [] }),
    });
    const ui = renderWithProviders(<Editable lead={lead} />);
    const email = screen.getByLabelText('Email');
    await ui.user.clear(email);
    await ui.user.type(email, 'grace@navy.example');
    await ui.user.click(screen.getByRole('button', { name: 'Save' }));

    await vi.waitFor(() => expect(email).toHaveAccessibleDescription('Already used by another lead.'));
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // Only what changed was sent.
    expect(api.calls('PATCH', '/api/leads/l1')[0]!.body).toEqual({ email: 'grace@navy.example' });
  });

  it('puts a custom field\'s server error at that field', async () => {
    stubApi({
      'PATCH /api/leads/l1': json(400, {
        error: { code: 'invalid_request', message: 'bad', details: [{ path: 'body.fields.Industry', message: 'must not contain NUL characters' }] },
      }),
    });
    const ui = renderWithProviders(<Editable lead={lead} />);
    const industry = screen.getByLabelText('Industry');
    await ui.user.type(industry, ' and weaving');
    await ui.user.click(screen.getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(industry).toHaveAccessibleDescription('Must not contain NUL characters.'));
  });

  it('refuses what the contract refuses before asking the server', async () => {
    const api = stubApi({});
    const ui = renderWithProviders(<Editable lead={lead} />);
    await ui.user.clear(screen.getByLabelText('Email'));
    await ui.user.type(screen.getByLabelText('Email'), 'not an address');
    await ui.user.clear(screen.getByLabelText('Status'));
    await ui.user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Expected an email address.')).toBeInTheDocument();
    expect(screen.getByLabelText('Status')).toHaveAccessibleDescription('Required.');
    expect(api.fetch).not.toHaveBeenCalled();
  });

  it('saves the changed fields with their types, then shows the saved lead', async () => {
    const api = stubApi({
      'PATCH /api/leads/l1': ({ body }) => json(200, { ...lead, ...(body as object), fields: { ...lead.fields, seats: 40 } }),
      'GET /api/leads/l1/timeline': json(200, { items: [] }),
      'GET /api/enrollments': json(200, { items: [] }),
    });
    const ui = renderWithProviders(<Editable lead={lead} />);
    await ui.user.clear(screen.getByLabelText('Seats'));
    await ui.user.type(screen.getByLabelText('Seats'), '40');
    await ui.user.clear(screen.getByLabelText('Phone'));
    await ui.user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByRole('button', { name: 'Edit' });
    // A number stays a number; an emptied field is null ("not set"), as PATCH takes it.
    expect(api.calls('PATCH', '/api/leads/l1')[0]!.body).toEqual({ phone: null, fields: { seats: 40 } });
  });
});
