import { describe, expect, it } from 'vitest';
import { sameOrigin } from './reader-http.js';

describe('a paging link', () => {
  it('is followed only on the channel\'s own origin, where the token may go', () => {
    const base = 'https://graph.facebook.com/v24.0';
    expect(sameOrigin('https://graph.facebook.com/v24.0/1/comments?after=x', base)).toBe('https://graph.facebook.com/v24.0/1/comments?after=x');
    expect(sameOrigin('https://evil.example/v24.0/1/comments', base)).toBeUndefined();
    expect(sameOrigin('http://graph.facebook.com/v24.0/1/comments', base)).toBeUndefined();
    expect(sameOrigin('https://graph.facebook.com:8443/x', base)).toBeUndefined();
    expect(sameOrigin('not a url', base)).toBeUndefined();
    expect(sameOrigin(undefined, base)).toBeUndefined();
  });
});
