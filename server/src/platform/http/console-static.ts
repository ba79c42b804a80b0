import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { platformError } from '../errors/app-error.js';

const NOT_BUILT = 'The console is not built. Run `npm run build -w web` (or `npm start`, which builds it when stale), then reload.';

/**
 * Serves the console's static export on every path outside /api from the same origin and
 * port as the API (decision 0016), so the session cookies are first-party and SameSite=Strict.
 * Each page gets a Content-Security-Policy that allows only its own inline scripts, by hash:
 * Next's export inlines its bootstrap, and 'unsafe-inline' would let injected text run too.
 */
export async function registerConsole(fastify: FastifyInstance, dir: string, log: Logger): Promise<void> {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    log.warn({ dir }, NOT_BUILT);
    fastify.get('/', async (_req, reply) => reply.code(503).type('text/plain; charset=utf-8').send(NOT_BUILT));
    return;
  }
  const policies = pagePolicies(dir);
  await fastify.register(async (scope) => {
    await scope.register(fastifyStatic, { root: dir, prefix: '/', wildcard: false, index: ['index.html'], cacheControl: false });
    scope.addHook('onSend', async (req, reply, payload) => {
      const policy = policies.get(pageOf(req.url));
      if (policy) void reply.header('content-security-policy', policy);
      // Hashed bundles never change; pages must be re-read to pick up a new build.
      void reply.header('cache-control', req.url.startsWith('/_next/static/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      return payload;
    });
    // Any other path outside the API: the console's own not-found page.
    scope.get('/*', async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.url.startsWith('/api/')) {
        // Without this catch-all the router itself refuses a path segment over its parameter
        // limit (414 uri_too_long); matched here instead, say what it would have said.
        const segments = (req.url.split('?')[0] ?? '').split('/');
        if (segments.some((s) => s.length > (fastify.initialConfig.maxParamLength ?? 100))) throw platformError('uri_too_long', 'A path segment is longer than the router accepts');
        return reply.callNotFound();
      }
      // A page's folder without its slash (`/login`): send the browser to the page.
      const [path = '/', query] = req.url.split('?');
      if (policies.has(`${path}/index.html`)) return reply.redirect(`${path}/${query === undefined ? '' : `?${query}`}`, 308);
      void reply.header('content-security-policy', policies.get('/404.html') ?? '');
      return reply.code(404).sendFile('404.html');
    });
  });
}

/** The HTML file a request path is answered with (`/login/?next=/` → `/login/index.html`). */
function pageOf(url: string): string {
  const path = url.split('?')[0] ?? '/';
  return path.endsWith('/') ? `${path}index.html` : path;
}

function pagePolicies(dir: string): Map<string, string> {
  const policies = new Map<string, string>();
  for (const file of htmlFiles(dir)) {
    const html = readFileSync(file, 'utf8');
    const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
      (m) => `'sha256-${createHash('sha256').update(m[1] ?? '', 'utf8').digest('base64')}'`,
    );
    policies.set(`/${relative(dir, file).split(sep).join('/')}`, consolePolicy(hashes));
  }
  return policies;
}

function consolePolicy(scriptHashes: string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${[...new Set(scriptHashes)].join(' ')}`,
    // Radix positions popovers with inline style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => join(e.parentPath, e.name));
}
