import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';

/**
 * Checks a response against the committed server/openapi.json, the document a generated client
 * is typed from: the status must be one the operation declares (5xx and the edge's own answers
 * may fall to `default`), the media type the declared one, and the body valid against the
 * declared schema (Ajv, JSON Schema 2020-12, as OpenAPI 3.1 uses). The e2e request helpers call
 * it on every response, so a route whose behaviour drifts from the document fails the suite.
 */

interface Operation {
  responses: Record<string, { content?: Record<string, unknown> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}

const DOC_ID = 'openapi.json';
const doc = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8')) as Document;
// ajv-formats is CommonJS: under ESM its plugin is the `default` of module.exports.
const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
addFormats(ajv);
ajv.addSchema(doc, DOC_ID);

/** Statuses the edge answers on any path, declared once under `default`. */
const EDGE_STATUSES = new Set([405, 408, 414, 431, 503]);

interface Template {
  path: string;
  pattern: RegExp;
  /** Literal segments first: /messages/search beats /messages/{id}. */
  literals: number;
}

const templates: Template[] = Object.keys(doc.paths).map((path) => ({
  path,
  pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+')}$`),
  literals: path.split('/').filter((s) => s && !s.startsWith('{')).length,
}));

function templateOf(path: string): Template | undefined {
  return templates.filter((t) => t.pattern.test(path)).sort((a, b) => b.literals - a.literals)[0];
}

const pointer = (...parts: string[]) => `${DOC_ID}#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

function validate(ref: string, body: unknown): string[] {
  const check = ajv.getSchema(ref);
  if (!check) return [`no schema at ${ref}`];
  if (check(body)) return [];
  return (check.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

export interface ObservedResponse {
  method: string;
  /** The request path, with or without a query string. */
  url: string;
  status: number;
  contentType: string;
  body: string;
}

/** What is wrong with a response by the document; empty when it conforms. */
export function contractProblems(res: ObservedResponse): string[] {
  const method = res.method.toLowerCase();
  const path = res.url.split('?')[0] ?? '/';
  const template = templateOf(path);
  const operation = template ? doc.paths[template.path]?.[method] : undefined;
  const where = `${res.method} ${template?.path ?? path} → ${res.status}`;
  if (method === 'head') return [];
  if (!operation) {
    // Not an operation of the document: only the edge's "no such route" answers are allowed.
    if ([404, 405].includes(res.status) || EDGE_STATUSES.has(res.status)) return problemBody(res, where);
    return [`${where}: not an operation of the document`];
  }
  const key = String(res.status);
  const declared = operation.responses[key];
  if (!declared) {
    if (res.status >= 500 || EDGE_STATUSES.has(res.status)) return problemBody(res, where);
    return [`${where}: status not declared (declared: ${Object.keys(operation.responses).join(', ')})`];
  }
  const media = Object.keys(declared.content ?? {});
  if (media.length === 0) return res.body === '' ? [] : [`${where}: declared without a body, but one was sent`];
  const type = res.contentType.split(';')[0]!.trim();
  if (!media.includes(type)) return [`${where}: content-type ${type}, declared ${media.join(', ')}`];
  const body = parse(res.body);
  if (body === undefined) return [`${where}: body is not JSON`];
  return validate(pointer('paths', template!.path, method, 'responses', key, 'content', type, 'schema'), body.value).map((p) => `${where}: ${p}`);
}

function problemBody(res: ObservedResponse, where: string): string[] {
  if (!res.contentType.startsWith('application/problem+json')) return [`${where}: ${res.contentType || 'no content-type'}, not application/problem+json`];
  const body = parse(res.body);
  if (body === undefined) return [`${where}: problem is not JSON`];
  return validate(pointer('components', 'schemas', 'Problem'), body.value).map((p) => `${where}: ${p}`);
}

function parse(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** Fails the test when a response does not match the committed document. */
export function expectContract(res: ObservedResponse): void {
  expect(contractProblems(res), `${res.method} ${res.url} does not match server/openapi.json`).toEqual([]);
}
