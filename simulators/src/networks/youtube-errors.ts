import { json, Reply, type SimResponse } from '../harness/http.js';

/** Google's JSON error envelope (contract §5.7): `error.code`, `error.message`, `error.errors[].reason`. */
export function googleErrorResponse(status: number, reason: string, message: string, domain = 'youtube.api', extra: Record<string, unknown> = {}): SimResponse {
  return json(status, { error: { code: status, message, errors: [{ message, domain, reason, ...extra }], ...(STATUS_NAMES[status] ? { status: STATUS_NAMES[status] } : {}) } });
}

export function googleError(status: number, reason: string, message: string, domain?: string, extra?: Record<string, unknown>): Reply {
  return new Reply(googleErrorResponse(status, reason, message, domain, extra));
}

export function youtubeErrorForStatus(status: number): SimResponse {
  switch (status) {
    case 400:
      return googleErrorResponse(400, 'badRequest', 'Bad Request', 'global');
    case 401:
      return googleErrorResponse(401, 'authError', 'Invalid Credentials', 'global', { location: 'Authorization', locationType: 'header' });
    case 403:
      return googleErrorResponse(403, 'forbidden', 'Forbidden', 'global');
    case 404:
      return googleErrorResponse(404, 'notFound', 'Not Found', 'global');
    case 405:
      return googleErrorResponse(405, 'httpMethodNotAllowed', 'Method Not Allowed', 'global');
    case 429:
      return googleErrorResponse(429, 'rateLimitExceeded', 'The request cannot be completed because you have exceeded the rate limit.', 'youtube.quota');
    case 503:
      return googleErrorResponse(503, 'backendError', 'The service is currently unavailable.', 'global');
    default:
      return status >= 500 ? googleErrorResponse(status, 'backendError', 'Backend Error', 'global') : googleErrorResponse(status, 'badRequest', 'Bad Request', 'global');
  }
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};
