import type { INestApplicationContext } from '@nestjs/common';
import { z, type ZodType } from 'zod';
import { ORG_HEADER } from './request-pipeline.interceptor.js';
import { routeCatalog } from './route-catalog.js';

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

/** OpenAPI 3.1, generated from the same zod schemas that validate requests. */
export function buildOpenApi(app: INestApplicationContext, version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  const routes = routeCatalog(app).sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const route of routes) {
    const spec = route.spec;
    if (!spec) continue;
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const status = String(spec.status ?? (route.method === 'POST' ? 201 : 200));
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
          ? { description: 'Success', content: { 'application/json': { schema: schemaOf(spec.response, 'output') } } }
          : { description: 'Success' },
        default: {
          description: `Problem details${spec.errors?.length ? `; codes include ${spec.errors.join(', ')}` : ''}`,
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
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
