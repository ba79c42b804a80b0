import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * The API described by the running server: `GET /api/openapi.json` (the document `npm run
 * openapi` commits, built from the same route specs) and an interactive reference at
 * `/api/docs` (Swagger UI). Its assets come from the swagger-ui-dist package, never a CDN: the
 * server may have no way out to the internet, and a CDN script would run with our origin.
 */
export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/**
 * Swagger UI needs its own scripts, styles (it sets some inline), data: images (its icons) and
 * a fetch of the document: everything from this origin, nothing else.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Guddu API</title>
<link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png">
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to a public validator.
const INIT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_PATH)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
});
`;

/** Registers the document and the reference; `document` builds the OpenAPI document once, on first use. */
export function registerApiDocs(fastify: FastifyInstance, document: () => Record<string, unknown>): void {
  let cached: string | undefined;
  fastify.get(OPENAPI_PATH, async (_req, reply) => {
    cached ??= JSON.stringify(document());
    return reply.type('application/json; charset=utf-8').send(cached);
  });
  fastify.get(DOCS_PATH, async (_req, reply) =>
    reply.header('content-security-policy', DOCS_CSP).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(PAGE),
  );
  fastify.get(`${DOCS_PATH}/init.js`, async (_req, reply) => reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(INIT));
  for (const [file, type] of Object.entries(ASSETS)) {
    // Read on first use and kept: the bundle is about 1.4 MB, and most servers never serve it.
    let body: Promise<Buffer> | undefined;
    fastify.get(`${DOCS_PATH}/${file}`, async (_req, reply) => {
      body ??= readFile(join(SWAGGER_DIR, file)).catch((err: unknown) => {
        body = undefined;
        throw err;
      });
      return reply.header('cache-control', 'public, max-age=86400').type(type).send(await body);
    });
  }
}
