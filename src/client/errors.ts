import { errorResponse } from '../contract/common.ts';

/**
 * A refusal or a fault from the API, from its error body `{"error":{"code","message","details"?}}`.
 * A body without that shape (a proxy's page, a network failure) still becomes one, with a code of
 * its own: `http_<status>`, `network`, `invalid_response`.
 */
export class CadenzaApiError extends Error {
  override readonly name = 'CadenzaApiError';
  constructor(
    /** The HTTP status; 0 when no answer came. */
    readonly status: number,
    /** Machine-readable: `invalid_request`, `not_found`, `conflict`, … */
    readonly code: string,
    message: string,
    /** A 400's `[{path, message}]`, one per field that was wrong; whatever else the route gives. */
    readonly details?: unknown,
    /** `METHOD /path` that was called. */
    readonly request?: string,
  ) {
    super(message);
  }

  /** From an answer's status and parsed body. */
  static fromAnswer(status: number, body: unknown, request?: string): CadenzaApiError {
    const parsed = errorResponse.safeParse(body);
    if (parsed.success) {
      const { code, message, details } = parsed.data.error;
      return new CadenzaApiError(status, code, message, details, request);
    }
    const text = typeof body === 'string' && body.trim() ? `: ${body.trim().slice(0, 200)}` : '';
    return new CadenzaApiError(status, `http_${status}`, `the server answered ${status}${text}`, undefined, request);
  }
}
