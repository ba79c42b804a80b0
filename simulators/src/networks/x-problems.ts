import { json, Reply, type SimResponse } from '../harness/http.js';

/**
 * X API v2 error bodies (contract §3.7): RFC 7807-style problems with `application/problem+json`.
 * The type prefix drifted from api.twitter.com to api.x.com; it is a setting so adapters can be
 * tested against both.
 */
export interface ProblemPrefix {
  problemTypePrefix: string;
}

export function xProblem(config: ProblemPrefix, status: number, kind: string, title: string, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): SimResponse {
  const type = kind === 'about:blank' ? 'about:blank' : `${config.problemTypePrefix}/2/problems/${kind}`;
  return { status, headers: { 'content-type': 'application/problem+json', ...headers }, body: { ...extra, title, detail, type, status } };
}

export function invalidRequest(config: ProblemPrefix, message: string, parameters: Record<string, unknown[]>): Reply {
  return new Reply(
    xProblem(config, 400, 'invalid-request', 'Invalid Request', 'One or more parameters to your request was invalid.', { errors: [{ parameters, message }] }),
  );
}

export function unauthorized(config: ProblemPrefix): Reply {
  return new Reply(xProblem(config, 401, 'about:blank', 'Unauthorized', 'Unauthorized'));
}

export function forbidden(config: ProblemPrefix, detail = 'Forbidden'): Reply {
  return new Reply(xProblem(config, 403, 'about:blank', 'Forbidden', detail));
}

export function tooManyRequests(config: ProblemPrefix, headers: Record<string, string>): Reply {
  return new Reply(xProblem(config, 429, 'about:blank', 'Too Many Requests', 'Too Many Requests', {}, headers));
}

export function xErrorResponse(config: ProblemPrefix, status: number): SimResponse {
  switch (status) {
    case 400:
      return xProblem(config, 400, 'invalid-request', 'Invalid Request', 'One or more parameters to your request was invalid.', { errors: [{ message: 'The request body is not valid JSON', parameters: {} }] });
    case 401:
      return xProblem(config, 401, 'about:blank', 'Unauthorized', 'Unauthorized');
    case 403:
      return xProblem(config, 403, 'about:blank', 'Forbidden', 'Forbidden');
    case 404:
      return xProblem(config, 404, 'about:blank', 'Not Found Error', 'Sorry, that page does not exist');
    case 429:
      return xProblem(config, 429, 'about:blank', 'Too Many Requests', 'Too Many Requests');
    default:
      return status >= 500
        ? xProblem(config, status, 'about:blank', status === 503 ? 'Service Unavailable' : 'Internal Server Error', 'Something went wrong. Please try again later.')
        : json(status, { title: 'Error', detail: 'Error', type: 'about:blank', status });
  }
}
