import { routes, type RouteDef } from '../contract/routes.ts';
import { CadenzaApiError } from './errors.ts';
import type { CadenzaClient, CallOptions } from './types.ts';

/**
 * `import { createClient } from 'cadenza/client'`: a small typed fetch client for the
 * Cadenza API. One method per route of the route map, its argument and answer typed from
 * the zod contract; a 4xx or 5xx is thrown as a CadenzaApiError.
 */

export { CadenzaApiError } from './errors.ts';
export { routes, type RouteDef, type Routes } from '../contract/routes.ts';
export type * from './types.ts';
/** The contract's types (`Lead`, `Cadence`, `TaskItem`, …). */
export type * from '../contract/index.ts';

/** The part of `fetch` the client uses: any fetch (undici, a test's in-process adapter) fits. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** Where the server is: `http://localhost:3000`. */
  baseUrl: string;
  /** An API token (`Authorization: Bearer`); without one, the browser's session cookie, if any. */
  token?: string;
  fetch?: FetchLike;
  /** Sent with every request. */
  headers?: Record<string, string>;
  /** Check every answer against the contract (a mismatch is an `invalid_response` error). Off by default. */
  validate?: boolean;
}

export function createClient(options: ClientOptions): CadenzaClient {
  const client: Record<string, Record<string, unknown>> = {};
  for (const [group, operations] of Object.entries(routes)) {
    client[group] = {};
    for (const [name, def] of Object.entries(operations as Record<string, RouteDef>)) {
      client[group][name] = (input?: Record<string, unknown>, callOptions?: CallOptions) => call(options, def, input ?? {}, callOptions ?? {});
    }
  }
  return client as CadenzaClient;
}

async function call(options: ClientOptions, def: RouteDef, input: Record<string, unknown>, callOptions: CallOptions): Promise<unknown> {
  const { query, body, ...params } = input;
  const path = fillPath(def.path, params);
  const where = `${def.method} ${path}`;
  const headers = new Headers({ accept: def.text ? 'text/csv, text/plain' : 'application/json' });
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  let payload: RequestInit['body'];
  if (body !== undefined && def.rawBody) {
    headers.set('content-type', def.rawBody);
    payload = body as RequestInit['body'];
  } else if (body !== undefined) {
    headers.set('content-type', 'application/json');
    payload = JSON.stringify(body);
  }
  for (const extra of [options.headers, callOptions.headers]) for (const [k, v] of Object.entries(extra ?? {})) headers.set(k, v);

  const url = options.baseUrl.replace(/\/+$/, '') + path + queryString(query);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { method: def.method, headers, body: payload, signal: callOptions.signal });
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    throw new CadenzaApiError(0, 'network', `${where}: could not reach the server (${(error as Error)?.message ?? error})`, undefined, where);
  }
  const text = await response.text();
  const answer = /\bjson\b/i.test(response.headers.get('content-type') ?? '') ? parseJson(text) : text;
  if (!response.ok) throw CadenzaApiError.fromAnswer(response.status, answer, where);
  if (response.status === 204) return null;
  if (!(callOptions.validate ?? options.validate)) return answer;

  const schema = def.responses[response.status];
  if (!schema) {
    throw new CadenzaApiError(response.status, 'invalid_response', `${where} answered ${response.status}, not ${Object.keys(def.responses).join(' or ')}`, undefined, where);
  }
  const checked = schema.safeParse(answer);
  if (!checked.success) {
    const issues = checked.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw new CadenzaApiError(response.status, 'invalid_response', `${where}: the answer does not match the contract: ${issues.slice(0, 5).join('; ')}`, checked.error.issues, where);
  }
  return checked.data;
}

/** `/api/leads/:id` with `{ id }`: each parameter percent-encoded, a missing one refused before any request. */
export function fillPath(template: string, params: Record<string, unknown>): string {
  return template.replace(/:([A-Za-z]\w*)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === '') throw new TypeError(`${template}: the path parameter "${name}" is missing`);
    return encodeURIComponent(String(value));
  });
}

/** `?a=1&b=x&b=y`: arrays repeat their key, dates are ISO-8601, undefined and null are left out. */
export function queryString(query: unknown): string {
  if (query === undefined || query === null) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      search.append(key, item instanceof Date ? item.toISOString() : String(item));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
