import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { csrfMatches } from './cookies.js';

const request = (token: string | undefined) => ({ headers: token === undefined ? {} : { 'x-csrf-token': token } }) as unknown as FastifyRequest;
const cookies = (csrf: string) => new Map([['guddu_csrf', csrf]]);

describe('csrfMatches', () => {
  it('accepts the cookie echoed in the header and refuses anything else', () => {
    expect(csrfMatches(request('abc123'), cookies('abc123'))).toBe(true);
    expect(csrfMatches(request('abc124'), cookies('abc123'))).toBe(false);
    expect(csrfMatches(request(undefined), cookies('abc123'))).toBe(false);
  });

  it('refuses, without throwing, a header of the same length in characters but not in bytes', () => {
    // Node reads header bytes 0x80-0xFF as latin1: 'a\u00e9' is 2 characters and 3 bytes in UTF-8.
    expect(() => csrfMatches(request('a\u00e9'), cookies('ab'))).not.toThrow();
    expect(csrfMatches(request('a\u00e9'), cookies('ab'))).toBe(false);
  });
});
