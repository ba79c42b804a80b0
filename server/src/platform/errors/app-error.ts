/**
 * The one error type services throw. It carries a stable `code` (part of the API contract), a
 * message safe to show, and the HTTP status its module assigned to the code. Services never
 * throw HTTP exceptions: the same code runs in jobs and the CLI.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.headers = options?.headers;
  }
  readonly headers: Record<string, string> | undefined;
}

const STATUS_OF = new Map<string, number>();

/** The status of a declared code (for the OpenAPI document); undefined for a code never declared. */
export function statusOfCode(code: string): number | undefined {
  return STATUS_OF.get(code);
}

/**
 * Declares a module's error codes with their statuses. The record is exhaustive by construction:
 * a code cannot be thrown without a status, because the factory only accepts declared codes.
 */
export function defineErrors<const T extends Record<string, number>>(statuses: T) {
  for (const [code, status] of Object.entries(statuses)) {
    const known = STATUS_OF.get(code);
    // A code is part of the contract: one code, one status, whichever module throws it.
    if (known !== undefined && known !== status) throw new Error(`error code ${code} declared with status ${status} and ${known}`);
    STATUS_OF.set(code, status);
  }
  return (
    code: keyof T & string,
    message: string,
    details?: unknown,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ): AppError => new AppError(code, statuses[code] as number, message, details, options);
}

/** Errors of the HTTP edge and of the platform, shared by every module. */
export const platformError = defineErrors({
  validation_failed: 400,
  /** Not HTTP at all, as Node's parser reads it. */
  bad_request: 400,
  malformed_json: 400,
  invalid_input: 400,
  unauthenticated: 401,
  token_invalid: 401,
  token_expired: 401,
  session_revoked: 401,
  forbidden: 403,
  mfa_enrolment_required: 403,
  mfa_verification_required: 403,
  step_up_required: 403,
  sso_required: 403,
  csrf_failed: 403,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  request_timeout: 408,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  request_headers_too_large: 431,
  internal_error: 500,
  service_unavailable: 503,
});
