import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { platformError } from '../errors/app-error.js';

/**
 * JSON and its `+json` variants, bare or with `charset=utf-8`. Fastify tests a RegExp parser
 * against the normalised header (`application/json; charset="utf-8"`), so the parameter is part
 * of the pattern; any other charset is refused (415) rather than decoded as if it were UTF-8.
 */
const JSON_MEDIA_TYPE = /^application\/([\w.+-]+\+)?json(; charset="utf-8")?$/i;

/**
 * Our JSON body parser, and the only one: Fastify's built-in text/plain parser and Nest's
 * urlencoded one would otherwise hand a handler a string or a form object for a JSON route;
 * without them any other media type is answered 415. It keeps Fastify's prototype-poisoning
 * protection and refuses NUL characters, which PostgreSQL cannot store in text and would
 * otherwise surface as a 500.
 */
export function registerJsonParser(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string', bodyLimit }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(platformError('malformed_json', 'The request body is empty'), undefined);
    let value: unknown;
    try {
      value = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      return done(platformError('malformed_json', 'The request body is not valid JSON'), undefined);
    }
    if (/\\u0000/i.test(text) && containsNul(value)) {
      return done(platformError('invalid_input', 'Text may not contain NUL characters'), undefined);
    }
    done(null, value);
  });
}

/** Iterative: a body nested 100k levels deep (well within the size limit) must not overflow the stack. */
function containsNul(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('\u0000')) return true;
        stack.push(v);
      }
    }
  }
  return false;
}
