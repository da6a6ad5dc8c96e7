import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CadenzaApiError, createClient, type FetchLike } from 'cadenza/client';
import { BACKENDS } from '../support/backends.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { ALWAYS_OPEN, replyMessage } from './helpers.ts';

/** What the typed client sends and how it reads answers (a recording fetch), then against the real server. */

interface Sent { url: string; method: string; headers: Record<string, string>; body: unknown }

/** A fetch that records the request and answers `answer`. */
function recording(answer: () => Response): { fetch: FetchLike; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (url, init) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => { headers[k] = v; });
    sent.push({ url, method: init.method ?? 'GET', headers, body: init.body });
    return answer();
  };
  return { fetch, sent };
}
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
const LEAD = {
  id: '7d1f0a52-3f0c-4a43-9a57-5b1f3f0d2a11', email: 'ada@example.com', firstName: 'Ada', lastName: null, company: null, phone: null,
  status: 'New', ownerId: null, timezone: null, module: 'lead', fields: {}, converted: false, unsubscribed: false, bounced: false,
  createdAt: '2026-03-02T08:00:00.000Z', updatedAt: '2026-03-02T08:00:00.000Z',
};

describe('the typed client, by what it sends', () => {
  it('puts path parameters in the path percent-encoded, the token in Authorization, and asks for JSON', async () => {
    const { fetch, sent } = recording(() => json(200, LEAD));
    const client = createClient({ baseUrl: 'https://crm.example/', token: 'tok_1', fetch, headers: { 'x-trace': 'a' } });
    await client.leads.get({ id: 'a/b c?d' }, { headers: { 'x-call': 'b' } });
    expect(sent).toEqual([{
      url: 'https://crm.example/api/leads/a%2Fb%20c%3Fd', method: 'GET', body: undefined,
      headers: { accept: 'application/json', authorization: 'Bearer tok_1', 'x-trace': 'a', 'x-call': 'b' },
    }]);
  });

  it('serialises the query (undefined left out, arrays repeated) and sends a JSON body', async () => {
    const { fetch, sent } = recording(() => json(200, { items: [] }));
    const client = createClient({ baseUrl: 'http://x', fetch });
    await client.tasks.list({ query: { status: 'open', due: 'today', ownerId: undefined } });
    await client.leads.list({ query: { q: 'ada & co', limit: 10 } });
    expect(sent.map((s) => s.url)).toEqual(['http://x/api/tasks?status=open&due=today', 'http://x/api/leads?q=ada+%26+co&limit=10']);
    expect(sent[0].headers.authorization).toBeUndefined();

    const { fetch: f2, sent: s2 } = recording(() => json(201, LEAD));
    await createClient({ baseUrl: 'http://x', fetch: f2 }).leads.create({ body: { email: 'ada@example.com', firstName: 'Ada' } });
    expect(s2[0]).toMatchObject({ method: 'POST', url: 'http://x/api/leads', body: '{"email":"ada@example.com","firstName":"Ada"}' });
    expect(s2[0].headers['content-type']).toBe('application/json');
  });

  it('sends a raw body as it is, with the route\'s content type', async () => {
    const { fetch, sent } = recording(() => json(202, { kind: 'other', matched: false }));
    await createClient({ baseUrl: 'http://x', fetch }).inbound.email({ body: 'Subject: hi\r\n\r\nhello' });
    expect(sent[0]).toMatchObject({ url: 'http://x/api/inbound/email', body: 'Subject: hi\r\n\r\nhello' });
    expect(sent[0].headers['content-type']).toBe('message/rfc822');
  });

  it('refuses a call without a path parameter before sending anything', async () => {
    const { fetch, sent } = recording(() => json(200, LEAD));
    // @ts-expect-error: id is required
    await expect(createClient({ baseUrl: 'http://x', fetch }).leads.get({})).rejects.toThrow(/"id" is missing/);
    expect(sent).toEqual([]);
  });
});

describe('the typed client, by how it reads answers', () => {
  it('throws an error answer as a CadenzaApiError with its status, code, message and details', async () => {
    const details = [{ path: 'body.email', message: 'already taken' }];
    const { fetch } = recording(() => json(409, { error: { code: 'conflict', message: 'body.email: already taken', details } }));
    const error = await createClient({ baseUrl: 'http://x', fetch }).leads.create({ body: { email: 'a@b.example' } }).catch((e) => e);
    expect(error).toBeInstanceOf(CadenzaApiError);
    expect(error).toMatchObject({ status: 409, code: 'conflict', message: 'body.email: already taken', details, request: 'POST /api/leads' });
  });

  it('makes a CadenzaApiError of an answer without the error shape, and of no answer at all', async () => {
    const proxy = recording(() => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    await expect(createClient({ baseUrl: 'http://x', fetch: proxy.fetch }).cadences.list()).rejects.toMatchObject({ status: 502, code: 'http_502' });
    const down: FetchLike = async () => { throw new TypeError('fetch failed'); };
    await expect(createClient({ baseUrl: 'http://x', fetch: down }).cadences.list()).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('answers null for a 204 and the text of a CSV', async () => {
    const empty = recording(() => new Response(null, { status: 204 }));
    expect(await createClient({ baseUrl: 'http://x', fetch: empty.fetch }).leads.delete({ id: LEAD.id })).toBeNull();
    const csv = recording(() => new Response('step,sent\n1,3\n', { status: 200, headers: { 'content-type': 'text/csv' } }));
    expect(await createClient({ baseUrl: 'http://x', fetch: csv.fetch }).cadences.statsExport({ id: LEAD.id })).toBe('step,sent\n1,3\n');
  });

  it('with validate, refuses an answer that is not the contract\'s, or a status the route does not answer', async () => {
    const wrong = recording(() => json(200, { ...LEAD, email: 42 }));
    await expect(createClient({ baseUrl: 'http://x', fetch: wrong.fetch }).leads.get({ id: LEAD.id })).resolves.toMatchObject({ email: 42 });
    await expect(createClient({ baseUrl: 'http://x', fetch: wrong.fetch, validate: true }).leads.get({ id: LEAD.id }))
      .rejects.toMatchObject({ code: 'invalid_response', message: expect.stringContaining('email') });
    const created = recording(() => json(200, LEAD));
    await expect(createClient({ baseUrl: 'http://x', fetch: created.fetch }).leads.create({ body: { email: 'a@b.example' } }, { validate: true }))
      .rejects.toMatchObject({ code: 'invalid_response', message: 'POST /api/leads answered 200, not 201' });
  });
});

describe.each(BACKENDS)('the typed client against the server on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(backend); }, 120_000);
  afterAll(async () => h?.close());

  it('reports a bad field as the server names it, and writes nothing', async () => {
    const error = await h.client.leads.create({ body: { email: 'not an address', firstName: 'Ada' } }).catch((e) => e);
    expect(error).toBeInstanceOf(CadenzaApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.details).toEqual([expect.objectContaining({ path: 'body.email' })]);
    expect((await h.client.leads.list()).items).toEqual([]);
  });

  it('says 401 without a token and 404 for a lead another rep cannot see', async () => {
    await expect(h.clientAs(null).leads.list()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    const lead = await h.clientAs(h.reps[0].token).leads.create({ body: { email: 'mine@example.com', ownerId: h.reps[0].id } });
    await expect(h.clientAs(h.reps[1].token).leads.get({ id: lead.id })).rejects.toMatchObject({ status: 404, code: 'not_found' });
    expect(await h.clientAs(h.reps[0].token).leads.get({ id: lead.id })).toMatchObject({ id: lead.id, email: 'mine@example.com' });
  });

  it('imports a CSV, takes a raw message and downloads the stats as CSV', async () => {
    const cadence = await h.client.cadences.create({ body: { name: 'Intro', schedule: ALWAYS_OPEN, steps: [{ type: 'email', subject: 'Hi', body: 'Hello' }] } });
    await h.client.cadences.activate({ id: cadence.id });
    const report = await h.client.leads.import({ query: { cadenceId: cadence.id }, body: 'email,firstName\nlin@example.com,Lin\n' });
    expect(report).toMatchObject({ created: 1, rejected: [], enrolled: 1 });
    await h.client.dev.clock({ body: { advance: 'PT1M' } });
    const [email] = (await h.client.emails.list({ query: {} })).items;
    const inbound = await h.client.inbound.email({ body: replyMessage('lin@example.com', email.messageId) });
    expect(inbound).toMatchObject({ kind: 'reply', matched: true });
    const csv = await h.client.cadences.statsExport({ id: cadence.id });
    expect(csv.split('\n')[0]).toMatch(/step/i);
  });
});
