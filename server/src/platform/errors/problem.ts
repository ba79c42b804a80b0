import { HttpException } from '@nestjs/common';
import { AppError, platformError } from './app-error.js';

/** RFC 9457 problem details, with our stable `code` and the request's correlation id. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  correlationId: string;
  instance?: string;
  errors?: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  428: 'Precondition Required',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

// Fastify's own errors, raised before a request reaches a handler (body parsing, limits).
const FASTIFY_CODES: Record<string, AppError['code']> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_input',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  // A path parameter longer than the router accepts: Fastify's status, our code.
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
};

// PostgreSQL errors that only bad input can cause; anything else is ours, and a 500.
function fromPostgres(err: { code: string; message: string }): AppError | undefined {
  const code = err.code;
  if (code === '23505') return platformError('conflict', 'A record with these values already exists');
  if (code === '23503') return platformError('conflict', 'The record refers to, or is referred to by, another record');
  // A row-level security violation means the caller wrote outside its tenant: answer as if the
  // target did not exist, which is what another tenant's resource is to the caller.
  if (code === '42501' && /row-level security/.test(err.message)) return platformError('not_found', 'Not found');
  if (code.startsWith('22')) return platformError('invalid_input', 'The input contains a value the server cannot store');
  return undefined;
}

function isPgError(err: unknown): err is { code: string; message: string; severity: string } {
  return typeof err === 'object' && err !== null && 'severity' in err && typeof (err as { code?: unknown }).code === 'string';
}

/** Maps anything thrown to an AppError; unknown errors become a 500 that leaks nothing. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 404) return platformError('route_not_found', 'No such route');
    if (status === 405) return platformError('method_not_allowed', 'Method not allowed');
    if (status === 406) return platformError('not_acceptable', 'Not acceptable');
    if (status === 413) return platformError('payload_too_large', 'The request body is too large');
    if (status === 415) return platformError('unsupported_media_type', 'Unsupported media type');
    if (status === 400) return platformError('invalid_input', err.message);
    return new AppError('http_error', status, err.message);
  }
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; statusCode?: unknown; message?: unknown };
    if (typeof e.code === 'string' && FASTIFY_CODES[e.code]) {
      const code = FASTIFY_CODES[e.code]!;
      const message = code === 'payload_too_large' ? 'The request body is too large' : typeof e.message === 'string' ? e.message : code;
      return platformError(code as Parameters<typeof platformError>[0], message);
    }
    if (err instanceof SyntaxError && typeof e.statusCode === 'number' && e.statusCode === 400) {
      return platformError('malformed_json', 'The request body is not valid JSON');
    }
    if (isPgError(err)) {
      const mapped = fromPostgres(err);
      if (mapped) return mapped;
    }
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return new AppError('invalid_input', e.statusCode, typeof e.message === 'string' ? e.message : 'Bad request');
    }
  }
  return platformError('internal_error', 'An unexpected error occurred', undefined, { cause: err });
}

export function toProblem(err: AppError, correlationId: string, instance?: string): Problem {
  return {
    type: `urn:guddu:problem:${err.code}`,
    title: TITLES[err.status] ?? 'Error',
    status: err.status,
    detail: err.message,
    code: err.code,
    correlationId,
    ...(instance ? { instance } : {}),
    ...(err.details !== undefined ? { errors: err.details } : {}),
  };
}
