import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, mockFetch } from '@/test/render.tsx';
import { ApiError } from './api-error.ts';
import { api, setUnauthorizedHandler } from './client.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(null);
});

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('the API client', () => {
  it('sends JSON with the session cookie and answers the parsed body', async () => {
    const fetch = mockFetch(json(200, { id: 't1', status: 'open' }));
    await expect(api.post('/api/tasks/t1/skip', { note: 'later' })).resolves.toEqual({ id: 't1', status: 'open' });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/tasks/t1/skip');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: JSON.stringify({ note: 'later' }) });
    expect((init!.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('leaves out empty query values and sends no body (nor its content type) without one', async () => {
    const fetch = mockFetch(json(200, { items: [] }), new Response(null, { status: 204 }));
    await api.get('/api/tasks', { query: { due: 'today', sort: undefined, ownerId: '' , limit: 50 } });
    expect(fetch.mock.calls[0]![0]).toBe('/api/tasks?due=today&limit=50');
    await expect(api.delete('/api/session')).resolves.toBeUndefined();
    expect((fetch.mock.calls[1]![1]!.headers as Record<string, string>)['content-type']).toBeUndefined();
  });

  it('maps a 400 with details to field errors named as the form names them', async () => {
    mockFetch(json(400, { error: { code: 'invalid_request', message: 'body.password: expected a password of at least 10 characters', details: [
      { path: 'body.password', message: 'expected a password of at least 10 characters' },
      { path: 'body.steps.0.type', message: 'invalid option' },
    ] } }));
    const error = await failure(api.post('/api/users', {}));
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe('body.password: expected a password of at least 10 characters');
    expect(error.fields).toEqual({ password: 'expected a password of at least 10 characters', 'steps.0.type': 'invalid option' });
  });

  it('reads a 429\'s Retry-After', async () => {
    mockFetch(json(429, { error: { code: 'rate_limited', message: 'too many failed sign-ins: try again in 30 s' } }, { 'retry-after': '30' }));
    const error = await failure(api.post('/api/session', { email: 'a@b.c', password: 'x' }, { redirectOn401: false }));
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(30);
  });

  it('gives a readable error for an answer that is not the error shape (a proxy\'s HTML page)', async () => {
    mockFetch(new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    const error = await failure(api.get('/api/users/me'));
    expect(error).toMatchObject({ status: 502, code: 'http_502', fields: {} });
    expect(error.message).toBe('The server is not reachable right now.');
  });

  it('turns a network failure into an ApiError that says so', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    const error = await failure(api.get('/api/users/me'));
    expect(error).toMatchObject({ status: 0, code: 'network' });
  });

  it('on a 401 calls the sign-in handler, unless the call asked not to', async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    const ended = { error: { code: 'unauthorized', message: 'the session has ended: sign in again' } };
    mockFetch(json(401, ended), json(401, ended));
    expect((await failure(api.get('/api/tasks'))).status).toBe(401);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await failure(api.post('/api/session', {}, { redirectOn401: false }));
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });
});
