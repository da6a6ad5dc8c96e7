import type { z } from 'zod';
import { ApiError } from './api-error.ts';

/**
 * The one way the web app calls the API: same-origin fetch with the session cookie,
 * JSON in and out, any failure as an ApiError. Used only by hooks in src/data.
 */

type Query = Record<string, string | number | boolean | null | undefined | readonly string[]>;

export interface RequestOptions<S extends z.ZodType | undefined = undefined> {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Validates the answer (a contract schema) and types it. */
  schema?: S;
  /**
   * A 401 normally sends the browser to sign-in (the session ended). Off for calls where
   * a 401 is an answer, not an ending: signing in with a wrong password, the session probe.
   */
  redirectOn401?: boolean;
}

type Answer<S, T> = S extends z.ZodType ? z.infer<S> : T;

let onUnauthorized: (() => void) | null = null;

/** Set once at start (main.tsx): what a 401 does, i.e. go to sign-in keeping the intended URL. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** What a 401 does, for requests made outside `request` (file uploads). */
export function notifyUnauthorized(): void {
  onUnauthorized?.();
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function request<T = unknown, S extends z.ZodType | undefined = undefined>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: RequestOptions<S> = {},
): Promise<Answer<S, T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'Cannot reach the server: check your connection and try again.');
  }
  const body = await readBody(response);
  if (!response.ok) {
    const error = ApiError.from(response.status, body, response.headers);
    if (response.status === 401 && options.redirectOn401 !== false) onUnauthorized?.();
    throw error;
  }
  return (options.schema ? options.schema.parse(body) : body) as Answer<S, T>;
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

type Opts<S extends z.ZodType | undefined> = Omit<RequestOptions<S>, 'body'>;

/** `api.get('/api/users/me', { schema: user })`, `api.post(path, body)`, … */
export const api = {
  get: <T = unknown, S extends z.ZodType | undefined = undefined>(path: string, options?: Opts<S>) => request<T, S>('GET', path, options),
  delete: <T = unknown, S extends z.ZodType | undefined = undefined>(path: string, options?: Opts<S>) => request<T, S>('DELETE', path, options),
  post: <T = unknown, S extends z.ZodType | undefined = undefined>(path: string, body?: unknown, options?: Opts<S>) => request<T, S>('POST', path, { ...options, body }),
  put: <T = unknown, S extends z.ZodType | undefined = undefined>(path: string, body?: unknown, options?: Opts<S>) => request<T, S>('PUT', path, { ...options, body }),
  patch: <T = unknown, S extends z.ZodType | undefined = undefined>(path: string, body?: unknown, options?: Opts<S>) => request<T, S>('PATCH', path, { ...options, body }),
};
