/**
 * The one error type the API turns into `{ error: { code, message, details } }`.
 * Anything else that escapes a handler is a bug: it becomes a 500 with a generic message (never a stack trace).
 */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string, id: string | number) =>
  new ApiError(404, 'not_found', `${what} "${id}" was not found`);
