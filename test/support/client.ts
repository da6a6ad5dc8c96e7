import type { FastifyInstance } from 'fastify';
import { createClient, type CadenzaClient, type FetchLike } from 'cadenza/client';

/** The base URL the in-process clients use; nothing listens there, the requests go to app.inject. */
export const IN_PROCESS_URL = 'http://cadenza.test';

/**
 * Fastify's app.inject in the shape of fetch, so the typed client talks to the server in
 * process: no port, no socket, the same routing, hooks and serializers as over HTTP.
 */
export function injectFetch(app: FastifyInstance): FetchLike {
  return async (url, init) => {
    const { pathname, search } = new URL(url);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => { headers[key] = value; });
    const res = await app.inject({
      method: (init.method ?? 'GET') as 'GET',
      url: pathname + search,
      headers,
      ...(init.body == null ? {} : { payload: await payloadOf(init.body) }),
    });
    const answerHeaders = new Headers();
    for (const [key, value] of Object.entries(res.headers)) {
      for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) answerHeaders.append(key, String(v));
    }
    const empty = [101, 204, 205, 304].includes(res.statusCode);
    return new Response(empty ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: answerHeaders });
  };
}

async function payloadOf(body: NonNullable<RequestInit['body']>): Promise<string | Buffer> {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof Blob) return Buffer.from(await body.arrayBuffer());
  throw new TypeError('injectFetch sends a string, bytes or a Blob');
}

/** A client of `app` with `token` (none: unauthenticated), its answers checked against the contract. */
export function inProcessClient(app: FastifyInstance, token: string | null): CadenzaClient {
  return createClient({ baseUrl: IN_PROCESS_URL, fetch: injectFetch(app), validate: true, ...(token ? { token } : {}) });
}
