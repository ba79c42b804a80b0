import { Module } from '@nestjs/common';
import { systemLookup } from '../../platform/net/public-address.js';
import { WebhookDispatch } from './webhook-dispatch.service.js';
import { WebhooksReseal } from './webhooks-reseal.service.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WebhooksService } from './webhooks.service.js';
import { WEBHOOK_LOOKUP } from './webhooks.tokens.js';

/**
 * Outgoing webhooks (decision 0026): an organisation's HTTPS endpoints for domain events, signed
 * per Standard Webhooks, retried on a schedule, switched off after sustained failure.
 */
@Module({
  controllers: [WebhooksController],
  providers: [WebhooksRepository, WebhookDispatch, WebhooksService, WebhooksReseal, { provide: WEBHOOK_LOOKUP, useValue: systemLookup }],
  exports: [WebhooksReseal],
})
export class WebhooksModule {}
