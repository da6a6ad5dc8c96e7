import { z } from 'zod';

/**
 * What every part of the API shares: the error shape, instants, ids, paging. Pure
 * zod, no IO: the server validates with it, the web app imports it for types and forms.
 */

/**
 * The error body, exactly as src/http/errors.ts sends it: a machine-readable `code`
 * (`invalid_request`, `not_found`, `malformed_json`, …), a message that names what was
 * wrong and where, and `details` when there is more (a 400's `[{path, message}]`).
 */
export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorResponse = z.infer<typeof errorResponse>;

/** A bad input's details: one entry per field that was wrong. */
export const fieldErrors = z.array(z.object({ path: z.string(), message: z.string() }));

const ERROR_MEANINGS = {
  400: 'Bad input: the message names the field and what was wrong',
  401: 'Not signed in: no, an unknown or a revoked token or session',
  403: 'Forbidden: the caller may not do this (an admin action, a cross-origin cookie write)',
  404: 'Not found (or not the caller\'s: a rep is told another rep\'s record does not exist)',
  409: 'Conflict with the current state',
  413: 'The body is larger than this route takes',
  415: 'Unsupported content type',
  422: 'Understood but cannot be done as it stands',
  429: 'Too many attempts: wait the Retry-After seconds',
  503: 'Unavailable: the database does not answer',
} as const;
export type ErrorStatus = keyof typeof ERROR_MEANINGS;

/**
 * A route's error responses, each with the error shape: `response: { 200: x, ...errors(400, 401, 404) }`.
 */
export function errors<const S extends readonly ErrorStatus[]>(...statuses: S): { [K in S[number]]: typeof errorResponse } {
  const out: Partial<Record<ErrorStatus, typeof errorResponse>> = {};
  for (const status of statuses) out[status] = errorResponse.describe(ERROR_MEANINGS[status]);
  return out as { [K in S[number]]: typeof errorResponse };
}

/** An empty answer (`204`). */
export const noContent = z.null().describe('No content');

// ---- instants ----

const MIN_INSTANT = Date.UTC(1970, 0, 1);
/** The calendar arithmetic and both databases handle instants before this (PostgreSQL has no year 0). */
export const MAX_INSTANT = Date.UTC(3000, 0, 1);
const inRange = (s: string) => {
  const t = Date.parse(s);
  return t >= MIN_INSTANT && t < MAX_INSTANT;
};

/** An instant a client sends: ISO-8601 with an offset, between 1970 and 3000. */
export const instantInput = z.iso
  .datetime({ offset: true })
  .refine(inRange, { message: 'expected an instant between 1970 and 3000' });

/** An instant the server answers: ISO-8601 in UTC (`toISOString()`). */
export const instant = z.string().describe('ISO-8601 instant in UTC');

// ---- ids ----

/** An id the server answers (a UUID, or a step's own id within its cadence). */
export const id = z.string();

/** `:id` in a path: any string, an id that cannot exist being simply not found (404). */
export const idParams = z.object({ id: z.string() });

/** An id a client sends in a body or a query (users, leads, tasks… are UUIDs). */
export const uuidInput = (what: string) => z.uuid({ message: `expected ${what} id` });

// ---- time zones ----

/** An IANA zone the runtime knows, checked with Intl (no luxon here: the web app imports this). */
export function isKnownTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 100) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
export const timeZone = z
  .string()
  .refine(isKnownTimeZone, { message: 'unknown time zone (expected an IANA name such as "Europe/Paris")' });

// ---- paging ----

/** `?limit=&offset=` on list routes. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};

/** zod issues as the `{path, message}` details every 4xx carries (`prefix`: `body`, a record's index…). */
export function issuesToDetails(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix = '') {
  return issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)', message: i.message }));
}
