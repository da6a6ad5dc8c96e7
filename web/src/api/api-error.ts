import { errorResponse, fieldErrors } from '@contract/common.ts';

/**
 * A failed API call, from the house error shape `{"error":{"code","message","details"?}}`.
 * `fields` maps a form field (`current`, `steps.0.type`) to the server's message for it,
 * read from a 400's `details[].path` (`body.current`), so forms show it at the field.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly fields: Record<string, string>;
  /** From `Retry-After` (429): how long to wait, in seconds. */
  readonly retryAfterSeconds: number | null;

  constructor(status: number, code: string, message: string, details?: unknown, retryAfterSeconds: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
    this.fields = fieldsOf(details);
  }

  /** Builds the error from a non-2xx response's status, headers and (maybe JSON) body. */
  static from(status: number, body: unknown, headers?: Headers): ApiError {
    const retry = Number(headers?.get('retry-after'));
    const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
    const parsed = errorResponse.safeParse(body);
    if (parsed.success) {
      const { code, message, details } = parsed.data.error;
      return new ApiError(status, code, message, details, retryAfter);
    }
    return new ApiError(status, `http_${status}`, GENERIC[status] ?? `The server answered ${status}.`, undefined, retryAfter);
  }
}

const GENERIC: Record<number, string> = {
  401: 'Please sign in.',
  403: 'You do not have access to this.',
  404: 'Not found.',
  429: 'Too many attempts: try again shortly.',
  500: 'Something went wrong on the server. It has been logged.',
  502: 'The server is not reachable right now.',
  503: 'The server is unavailable right now.',
};

/** Where a 400's details point: `body.x.y` / `querystring.x` → `x.y` / `x` (the form's own field names). */
function fieldsOf(details: unknown): Record<string, string> {
  const parsed = fieldErrors.safeParse(details);
  if (!parsed.success) return {};
  const fields: Record<string, string> = {};
  for (const { path, message } of parsed.data) {
    const field = path.replace(/^(body|querystring|query|params)(\.|$)/, '');
    if (field && !(field in fields)) fields[field] = message;
  }
  return fields;
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;
