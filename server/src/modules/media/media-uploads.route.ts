import { assertSsoSatisfied } from '../../platform/auth/sso-rule.js';
import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Server } from '@tus/server';
import type { Upload } from '@tus/utils';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerRequest } from 'srvx';
import { NodeRequest, sendNodeResponse } from 'srvx/node';
import { permissionsOf } from '../../platform/access/permissions.js';
import { AccessTokens } from '../../platform/auth/access-tokens.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import type { Config } from '../../platform/config/config.js';
import type { RequestContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { AppError, platformError } from '../../platform/errors/app-error.js';
import { PROBLEM_CONTENT_TYPE, toAppError, toProblem } from '../../platform/errors/problem.js';
import { anonymousContext } from '../../platform/http/ctx.decorator.js';
import { sendProblem } from '../../platform/http/problem.filter.js';
import { accessToken, ORG_HEADER } from '../../platform/http/request-pipeline.interceptor.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { createUploadStore, type UploadStore } from '../../platform/storage/upload-store.js';
import { MediaIngest } from './media-ingest.service.js';
import { mediaError } from './media.errors.js';

export const UPLOADS_PATH = '/api/v1/media/uploads';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** tus answers in plain text; we answer every failure as problem+json with a stable code. */
const TUS_STATUS_CODES: Record<number, string> = { 400: 'validation_failed', 403: 'forbidden', 404: 'upload_not_found', 409: 'upload_offset_conflict', 410: 'upload_not_found', 412: 'precondition_failed', 413: 'upload_too_large', 415: 'unsupported_media_type', 460: 'checksum_mismatch' };

/** tus's own "not found" and "no longer exists" (FileStore: no `<id>.json`, or no bytes beside it). */
function isUploadMissing(err: unknown): boolean {
  const status = (err as { status_code?: unknown } | null)?.status_code;
  return status === 404 || status === 410;
}

/**
 * Resumable uploads (the tus protocol, served by @tus/server) at /api/v1/media/uploads. They are
 * not Nest routes: an upload streams gigabytes and must not sit inside a request transaction.
 * Each request is authenticated as the pipeline would (token, live session, content.write in the
 * organisation acted in) in a short transaction of its own, and an upload is visible only to the
 * organisation that created it. The finished upload is handed to MediaIngest.
 */
@Injectable()
export class MediaUploadsRoute implements OnModuleInit {
  private readonly store: UploadStore;
  private readonly tus: Server;
  /** The caller of each in-flight tus request, for the hooks (which only see the request). */
  private readonly callers = new WeakMap<IncomingMessage, RequestContext>();

  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly tokens: AccessTokens,
    private readonly tx: Transactor,
    private readonly ingest: MediaIngest,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.store = createUploadStore(config);
    const options: ConstructorParameters<typeof Server>[0] = {
      path: UPLOADS_PATH,
      datastore: this.store.datastore,
      maxSize: config.media.maxUploadBytes,
      respectForwardedHeaders: config.trustProxy !== false,
      namingFunction: () => this.store.idOf(crypto.randomUUID()),
      // The URL names an upload by its UUID; the store may file it under a key (S3: `uploads/<uuid>`).
      getFileIdFromRequest: (_req, name) => (name && UUID.test(name) ? this.store.idOf(name.toLowerCase()) : undefined),
      // Relative: the upload URL is resolved against the request URL (a proxy's host and scheme are its own).
      generateUrl: (_req, { path, id }) => `${path}/${this.store.nameOf(id)}`,
      // A finished upload is an asset's original (stored in place on local disk): tus must not
      // delete it; the library's delete (audited, refused while in use) is the only way.
      disableTerminationForFinishedUploads: true,
      onUploadCreate: (req, upload) => this.created(req, upload),
      onUploadFinish: (req, upload) => this.finished(req, upload),
    };
    this.tus = new Server(options);
  }

  onModuleInit(): void {
    // The CLI (openapi, migrate) builds an application context without HTTP: nothing to mount.
    if (!(this.adapter.httpAdapter as unknown)) return;
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(async (scope) => {
      // tus reads the raw body itself: parse nothing, in this plugin only.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
      const handler = (req: FastifyRequest, reply: FastifyReply) => this.handle(req, reply);
      const methods = ['POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'] as const;
      scope.route({ method: [...methods], url: UPLOADS_PATH, handler });
      scope.route({ method: [...methods], url: `${UPLOADS_PATH}/:id`, handler });
    });
  }

  private async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      if (req.method !== 'OPTIONS') {
        const ctx = await this.authenticate(req);
        await this.authorize(ctx, req);
        this.callers.set(req.raw, ctx);
      }
    } catch (err) {
      sendProblem(err, req, reply, this.log);
      return reply;
    }
    // A hijacked reply writes on the raw response, so Fastify would not send the headers the
    // onRequest hooks gave it (security headers, request id): they go on the raw response first.
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
    reply.hijack();
    const response = await this.tus.handleWeb(new NodeRequest({ req: req.raw, res: reply.raw }));
    await sendNodeResponse(reply.raw, await this.asProblem(req, response));
  }

  /** As the request pipeline does (Bearer or console cookie): token, then session and roles in the organisation acted in. */
  private async authenticate(req: FastifyRequest): Promise<RequestContext> {
    // A Bearer token, or the console's session cookie with the CSRF header on every unsafe method.
    const claims = await this.tokens.verify(accessToken(req));
    const asked = req.headers[ORG_HEADER];
    if (asked !== undefined && (typeof asked !== 'string' || !UUID.test(asked))) throw platformError('validation_failed', `${ORG_HEADER} must be an organisation id`);
    const orgId = (asked ?? claims.org).toLowerCase();
    const roles = await this.tx.inRequest({ orgId, userId: claims.sub, sessionId: claims.sid }, async ({ sessionOk, roles, sso }) => {
      if (!sessionOk) throw platformError('session_revoked', 'The session has ended; sign in again');
      if (roles.length > 0) assertSsoSatisfied(sso, permissionsOf(roles));
      return roles;
    });
    if (roles.length === 0) throw platformError('not_found', 'Organisation not found');
    const permissions = permissionsOf(roles);
    if (!permissions.has('content.write')) throw platformError('forbidden', 'This action needs the content.write permission', { permission: 'content.write' });
    return { ...anonymousContext(req), actor: { type: 'user', id: claims.sub, sessionId: claims.sid }, orgId, roles, permissions };
  }

  /** A new upload must fit the limits; an existing one must be this organisation's. */
  private async authorize(ctx: RequestContext, req: FastifyRequest): Promise<void> {
    const id = (req.params as { id?: string }).id;
    if (req.method === 'POST') {
      const length = Number(req.headers['upload-length']);
      if (!Number.isSafeInteger(length) || length < 0) throw platformError('validation_failed', 'Upload-Length is required (uploads of unknown length are not accepted)');
      await this.ingest.admit(ctx, length);
      return;
    }
    if (!id || !UUID.test(id)) throw mediaError('upload_not_found', 'No such upload');
    // Only "no such upload" is a 404: a store that cannot be read is a failure to report (500).
    const upload = await this.store.datastore.getUpload(this.store.idOf(id.toLowerCase())).catch((err: unknown) => {
      if (isUploadMissing(err)) return undefined;
      throw err;
    });
    // A finished upload takes no more writes: a second finish would ingest the same bytes again.
    // Its tus record is gone once it became an asset (see finished()); the asset says so.
    if (!upload && (await this.ingest.became(ctx, this.store.keyOf(this.store.idOf(id.toLowerCase()))))) throw mediaError('upload_finished', 'This upload is complete; its asset is in the library');
    if (!upload || upload.metadata?.guddu_org !== ctx.orgId) throw mediaError('upload_not_found', 'No such upload');
    if (req.method !== 'HEAD' && upload.size !== undefined && upload.offset === upload.size) {
      throw mediaError('upload_finished', 'This upload is complete; its asset is in the library');
    }
  }

  private callerOf(req: ServerRequest): RequestContext {
    const raw = req.runtime?.node?.req as IncomingMessage | undefined;
    const ctx = raw && this.callers.get(raw);
    if (!ctx) throw new Error('tus hook without an authenticated caller');
    return ctx;
  }

  private created(req: ServerRequest, upload: Upload): Promise<{ metadata: Record<string, string | null> }> {
    const ctx = this.callerOf(req);
    // Ours, not the client's: who owns the upload.
    return Promise.resolve({ metadata: { ...(upload.metadata ?? {}), guddu_org: ctx.orgId ?? null, guddu_user: ctx.actor?.type === 'user' ? ctx.actor.id : null } });
  }

  private async finished(req: ServerRequest, upload: Upload) {
    const ctx = this.callerOf(req);
    const m = upload.metadata ?? {};
    try {
      const { asset, duplicate } = await this.ingest.finish(ctx, {
        storageKey: this.store.keyOf(upload.id),
        received: this.store.received(upload.id, upload.size ?? upload.offset),
        size: upload.size ?? upload.offset,
        filename: m.filename ?? m.name ?? '',
        sha256: m.sha256 ?? undefined,
        wantVertical: m.vertical === 'true',
        keepMetadata: m.keepMetadata === 'true',
      });
      const headers = { 'Guddu-Asset-Id': asset.id, 'Guddu-Duplicate': String(duplicate), 'Content-Type': 'application/json', 'Access-Control-Expose-Headers': 'Guddu-Asset-Id, Guddu-Duplicate' };
      // A PATCH answers 204 by default, which has no body: say 200 so the asset comes back.
      return { ...(req.method === 'PATCH' ? { status_code: 200 } : {}), headers, body: JSON.stringify({ asset, duplicate }) };
    } catch (err) {
      const e = toAppError(err);
      if (e.status >= 500) this.log.error({ err }, 'media: ingest failed');
      throw { status_code: e.status, body: JSON.stringify(toProblem(e, ctx.correlationId, UPLOADS_PATH)) };
    } finally {
      // Finished (an asset) or refused (its bytes deleted): either way tus is done with it.
      await this.store.forget(upload.id).catch((err: unknown) => this.log.warn({ err, uploadId: upload.id }, 'media: tus record not removed'));
    }
  }

  /** tus's plain-text failures become problem+json; ours (JSON already) get the right type. */
  private async asProblem(req: FastifyRequest, res: Response): Promise<Response> {
    if (res.status < 400) return res;
    const text = await res.text();
    const headers = new Headers(res.headers);
    headers.set('content-type', PROBLEM_CONTENT_TYPE);
    headers.delete('content-length');
    headers.set('x-request-id', req.id);
    if (text.startsWith('{')) return new Response(text, { status: res.status, headers });
    const code = TUS_STATUS_CODES[res.status] ?? (res.status >= 500 ? 'internal_error' : 'validation_failed');
    const err = new AppError(code, res.status, res.status >= 500 ? 'The upload failed; try again' : text.trim() || 'The upload was refused');
    if (res.status >= 500) this.log.error({ reqId: req.id, tus: text.slice(0, 500) }, 'media: tus failed');
    return new Response(JSON.stringify(toProblem(err, req.id, req.url.split('?')[0])), { status: res.status, headers });
  }
}
