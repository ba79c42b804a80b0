import { describe, expect, it } from 'vitest';
import { contractProblems } from './contract.js';

// The contract check itself must be able to fail: each drift below is one a generated client
// would trip on.

const message = '/api/v1/messages/5f1d7c1e-0000-4000-8000-000000000000';
const problem = (status: number, code: string) =>
  JSON.stringify({ type: `urn:guddu:problem:${code}`, title: 'x', status, detail: 'x', code, correlationId: 'c' });

describe('contract check', () => {
  it('refuses a success status the document does not declare (201 where it says 200)', () => {
    expect(contractProblems({ method: 'POST', url: `${message}/submit`, status: 201, contentType: 'application/json', body: '{}' })[0]).toMatch(/status not declared/);
  });

  it('refuses a body that does not match the declared schema', () => {
    const problems = contractProblems({ method: 'GET', url: '/api/v1/me', status: 200, contentType: 'application/json', body: JSON.stringify({ user: 'me' }) });
    expect(problems.length).toBeGreaterThan(0);
  });

  it('refuses an error answered as plain JSON, and an undeclared client error', () => {
    expect(contractProblems({ method: 'GET', url: message, status: 404, contentType: 'application/json', body: '{"statusCode":404}' })[0]).toMatch(/content-type/);
    expect(contractProblems({ method: 'GET', url: '/healthz', status: 409, contentType: 'application/problem+json', body: problem(409, 'conflict') })[0]).toMatch(/status not declared/);
  });

  it('accepts a declared problem, an edge answer under default, and a 404 for an unknown path', () => {
    expect(contractProblems({ method: 'GET', url: message, status: 404, contentType: 'application/problem+json; charset=utf-8', body: problem(404, 'message_not_found') })).toEqual([]);
    expect(contractProblems({ method: 'PUT', url: message, status: 405, contentType: 'application/problem+json; charset=utf-8', body: problem(405, 'method_not_allowed') })).toEqual([]);
    expect(contractProblems({ method: 'GET', url: '/api/v1/nothing', status: 404, contentType: 'application/problem+json; charset=utf-8', body: problem(404, 'route_not_found') })).toEqual([]);
  });

  it('prefers a literal path segment over a parameter (/messages/search is not /messages/{id})', () => {
    // {} is not a search result, and the complaint names the search operation.
    const problems = contractProblems({ method: 'GET', url: '/api/v1/messages/search?q=x', status: 200, contentType: 'application/json', body: '{}' }).join('\n');
    expect(problems).toContain('GET /api/v1/messages/search → 200');
    expect(problems).not.toContain('{id}');
  });
});
