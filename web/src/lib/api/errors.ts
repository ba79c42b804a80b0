/**
 * Every failed call becomes one ApiError carrying the server's stable `code` (RFC 9457
 * problem+json). Screens switch on the code, never on the message.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface Problem {
  code?: unknown;
  detail?: unknown;
  title?: unknown;
  details?: unknown;
  /** Where the server puts a problem's details (field errors, or e.g. the providers of `sso_required`). */
  errors?: unknown;
}

export function toApiError(status: number, body: unknown): ApiError {
  const p = (typeof body === 'object' && body !== null ? body : {}) as Problem;
  const code = typeof p.code === 'string' ? p.code : status === 0 ? 'network_error' : 'unknown_error';
  const message = typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : `HTTP ${status}`;
  return new ApiError(status, code, message, p.details ?? p.errors);
}

/** openapi-fetch answers `{ data, error, response }`; this turns it into data or a throw. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw toApiError(result.response.status, result.error);
}
