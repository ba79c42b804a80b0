import { type IncomingHttpHeaders } from 'node:http';

export interface UploadedFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A request as the network handlers see it: body already parsed by its content type. */
export interface SimRequest {
  seq: number;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** JSON body when the request was JSON; undefined otherwise. */
  json: unknown;
  /** Form fields from urlencoded or multipart bodies. */
  form: URLSearchParams;
  files: Map<string, UploadedFile>;
  params: Record<string, string>;
  ip: string;
  /** True when the body claimed to be JSON but did not parse. */
  malformedJson: boolean;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; Buffers and strings as they are. */
  body?: unknown;
}

/**
 * Thrown by handlers and helpers to answer right away (an auth failure, a validation error), so
 * the happy path of each endpoint reads top to bottom.
 */
export class Reply extends Error {
  constructor(readonly response: SimResponse) {
    super(`reply ${response.status}`);
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, body, headers };
}

export function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** One parameter from the JSON body, the form or the query string (Graph-style APIs take any). */
export function param(req: SimRequest, name: string): string | undefined {
  if (isRecord(req.json)) {
    const value = req.json[name];
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (value !== undefined && value !== null) return JSON.stringify(value);
  }
  return req.form.get(name) ?? req.query.get(name) ?? undefined;
}

/** An array parameter: a JSON array, or repeated `name[]` / `name` form and query fields. */
export function params(req: SimRequest, name: string): string[] {
  if (isRecord(req.json) && req.json[name] !== undefined && req.json[name] !== null) {
    const value = req.json[name];
    return (Array.isArray(value) ? (value as unknown[]) : [value]).map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  }
  const fromForm = [...req.form.getAll(`${name}[]`), ...req.form.getAll(name)];
  if (fromForm.length > 0) return fromForm;
  return [...req.query.getAll(`${name}[]`), ...req.query.getAll(name)];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseBody(contentType: string, raw: Buffer): Pick<SimRequest, 'json' | 'form' | 'files' | 'malformedJson'> {
  const result = { json: undefined as unknown, form: new URLSearchParams(), files: new Map<string, UploadedFile>(), malformedJson: false };
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length === 0) return result;
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      result.json = JSON.parse(raw.toString('utf8'));
    } catch {
      result.malformedJson = true;
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    result.form = new URLSearchParams(raw.toString('utf8'));
  } else if (type === 'multipart/form-data') {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (boundary) parseMultipart(raw, boundary, result.form, result.files);
  }
  return result;
}

/** A small multipart/form-data reader: enough for media uploads, tolerant of bad input. */
function parseMultipart(raw: Buffer, boundary: string, form: URLSearchParams, files: Map<string, UploadedFile>): void {
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  while (start >= 0) {
    const partStart = start + delimiter.length;
    if (raw.subarray(partStart, partStart + 2).toString() === '--') return;
    const next = raw.indexOf(delimiter, partStart);
    if (next < 0) return;
    const part = raw.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const head = part.subarray(0, headerEnd).toString('utf8');
      const body = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      const filename = /filename="([^"]*)"/i.exec(head)?.[1];
      const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim() ?? 'application/octet-stream';
      if (name !== undefined && filename !== undefined) files.set(name, { filename, contentType: type, data: Buffer.from(body) });
      else if (name !== undefined) form.append(name, body.toString('utf8'));
    }
    start = next;
  }
}
