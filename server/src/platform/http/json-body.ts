import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { platformError } from '../errors/app-error.js';

/**
 * Our JSON body parser: Fastify's prototype-poisoning protection, plus a refusal of NUL
 * characters, which PostgreSQL cannot store in text and would otherwise surface as a 500.
 */
export function registerJsonParser(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeContentTypeParser(['application/json']);
  fastify.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json$/,
    { parseAs: 'string', bodyLimit },
    (_req, body, done) => {
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
    },
  );
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v));
  }
  return false;
}
