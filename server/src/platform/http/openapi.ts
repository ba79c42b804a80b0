import type { INestApplicationContext } from '@nestjs/common';
import { z, type ZodType } from 'zod';
import { statusOfCode } from '../errors/app-error.js';
import { TITLES } from '../errors/problem.js';
import { ORG_HEADER } from './request-pipeline.interceptor.js';
import { routeCatalog, type CatalogEntry } from './route-catalog.js';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parametersOf(schema: ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = schemaOf(schema, 'input');
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s,
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
  }));
}

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'correlationId'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable machine-readable error code' },
    correlationId: { type: 'string' },
    instance: { type: 'string' },
    errors: {},
  },
};

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/**
 * The problem codes a route can answer with: its own (`errors` in @Route) and those of the
 * request pipeline, which follow from what the route takes and who may call it.
 */
function codesOf(route: CatalogEntry): string[] {
  const spec = route.spec!;
  const codes = new Set<string>();
  if (spec.params || spec.query || spec.body) codes.add('validation_failed');
  if (spec.body) ['malformed_json', 'invalid_input', 'payload_too_large', 'unsupported_media_type'].forEach((c) => codes.add(c));
  if (spec.access !== 'public') {
    ['unauthenticated', 'token_invalid', 'token_expired', 'session_revoked'].forEach((c) => codes.add(c));
    // An x-guddu-org the caller has no role in, or that does not exist.
    codes.add('not_found');
  }
  if (spec.access !== 'public' && spec.access !== 'authenticated') codes.add('forbidden');
  // The sign-in policy can hold any signed-in route but the few a limited session may call.
  if (spec.access !== 'public' && !spec.duringEnrolment) ['mfa_enrolment_required', 'mfa_verification_required'].forEach((c) => codes.add(c));
  if (spec.access !== 'public' && !(spec.duringEnrolment && spec.access === 'authenticated')) codes.add('sso_required');
  if (spec.stepUp) codes.add('step_up_required');
  for (const code of spec.errors ?? []) codes.add(code);
  return [...codes];
}

/** One response per error status, listing its codes; `default` covers the rest (5xx, 405, 408, 414, 431). */
function errorResponses(route: CatalogEntry): Record<string, unknown> {
  const byStatus = new Map<number, string[]>();
  for (const code of codesOf(route)) {
    const status = statusOfCode(code);
    if (status === undefined) throw new Error(`${route.method} ${route.path} declares error code ${code}, which no module defines`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = { description: `${TITLES[status] ?? 'Error'}: ${codes.join(', ')}`, content: problemContent };
  }
  return out;
}

/** OpenAPI 3.1, generated from the same zod schemas that validate requests. */
export function buildOpenApi(app: INestApplicationContext, version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  const routes = routeCatalog(app).sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const route of routes) {
    const spec = route.spec;
    if (!spec) continue;
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const status = String(route.status);
    const isPublic = spec.access === 'public';
    const parameters = [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')];
    if (!isPublic) {
      parameters.push({
        name: ORG_HEADER,
        in: 'header',
        required: false,
        description: 'Act in this organisation (default: the one signed in to)',
        schema: { type: 'string', format: 'uuid' },
      });
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.handler,
      summary: spec.summary,
      tags: spec.tags ?? [],
      security: isPublic ? [] : [{ bearer: [] }, { consoleCookie: [] }],
      'x-guddu-permission': spec.access,
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body, 'input') } } } }
        : {}),
      responses: {
        [status]: spec.response
          ? { description: 'Success', content: { 'application/json': { schema: schemaOf(spec.response, 'output') }, ...(spec.csv ? { 'text/csv': { schema: { type: 'string' } } } : {}) } }
          : { description: 'Success' },
        ...errorResponses(route),
        default: { description: 'Problem details (server errors and the answers of the HTTP edge)', content: problemContent },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Guddu API', version, description: 'Communications command centre: staff API.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        // The console's session (POST /api/v1/auth/session); unsafe methods also need x-csrf-token.
        consoleCookie: { type: 'apiKey', in: 'cookie', name: 'guddu_access' },
      },
      schemas: { Problem: problemSchema },
    },
  };
}
