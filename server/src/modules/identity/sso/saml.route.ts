import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../platform/config/config.js';
import { CONFIG } from '../../../platform/config/config.tokens.js';
import { sendProblem } from '../../../platform/http/problem.filter.js';
import { LOGGER, type Logger } from '../../../platform/logging/logger.js';
import { SAML_PATH } from './saml-sp.js';
import { SamlService } from './saml.service.js';
import { SSO_CALLBACK_PATH } from './sso.service.js';

/** A SAMLResponse is a signed XML document, base64: generous, but bounded. */
const ACS_BODY_LIMIT = 512 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The two SAML endpoints an IdP calls, per provider: its metadata (GET, XML) and the assertion
 * consumer service (the HTTP-POST binding: a form post). They are Fastify routes of their own, like
 * media uploads: the API's only body parser is JSON, and here, in this plugin only, a urlencoded
 * form is read.
 */
@Injectable()
export class SamlRoute implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly saml: SamlService,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    // The CLI (openapi, migrate) builds an application context without HTTP: nothing to mount.
    if (!(this.adapter.httpAdapter as unknown)) return;
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: ACS_BODY_LIMIT }, (_req, body, done) => {
        done(null, new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8')));
      });
      scope.get<{ Params: { id: string } }>(`${SAML_PATH}/:id/metadata`, (req, reply) => this.metadata(req, reply));
      scope.post<{ Params: { id: string } }>(`${SAML_PATH}/:id/acs`, (req, reply) => this.acs(req, reply));
    });
  }

  private async metadata(req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
    try {
      const xml = await this.saml.metadata(this.providerId(req));
      return reply.header('content-type', 'application/samlmetadata+xml; charset=utf-8').send(xml);
    } catch (err) {
      sendProblem(err, req, reply, this.log);
      return reply;
    }
  }

  private async acs(req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
    try {
      const form = req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
      const handle = await this.saml.consume(this.providerId(req), form.get('SAMLResponse') ?? undefined, form.get('RelayState') ?? undefined);
      // On to the callback as a top-level GET, where the browser's SameSite=Lax binding cookie is sent.
      return reply.code(303).header('location', `${this.config.publicUrl}${SSO_CALLBACK_PATH}?saml=${encodeURIComponent(handle)}`).send();
    } catch (err) {
      sendProblem(err, req, reply, this.log);
      return reply;
    }
  }

  private providerId(req: FastifyRequest<{ Params: { id: string } }>): string {
    // Not a UUID: no provider (the lookup would fail in PostgreSQL's cast instead).
    return UUID.test(req.params.id) ? req.params.id : '00000000-0000-0000-0000-000000000000';
  }
}
