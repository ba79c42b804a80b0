import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { z } from 'zod';
import type { RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import * as dto from './webhooks.dto.js';
import { WebhooksService } from './webhooks.service.js';

const T = ['webhooks'];
const A = 'webhooks.manage';

@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @Route({ summary: 'The organisation’s webhooks (never a secret), and every event name they can receive', access: A, tags: T, response: dto.WebhookList })
  list(@Ctx() ctx: RequestContext) {
    return this.webhooks.list(ctx);
  }

  @Post()
  @Route({ summary: 'Register a webhook; the answer carries its signing secret, shown this once', access: A, tags: T, body: dto.CreateBody, response: dto.WebhookWithSecret, status: 201, errors: ['webhook_url_not_allowed'] })
  create(@Ctx() ctx: RequestContext, @Body() b: z.infer<typeof dto.CreateBody>) {
    return this.webhooks.create(ctx, b);
  }

  @Get(':id')
  @Route({ summary: 'One webhook, with why it is off if it is', access: A, tags: T, params: dto.IdParams, response: dto.WebhookView, errors: ['webhook_not_found'] })
  get(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    return this.webhooks.get(ctx, p.id);
  }

  @Patch(':id')
  @Route({ summary: 'URL, events, description; switch off, or back on (clears the failure count)', access: A, tags: T, params: dto.IdParams, body: dto.UpdateBody, response: dto.WebhookView, errors: ['webhook_not_found', 'webhook_url_not_allowed'] })
  update(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.UpdateBody>) {
    return this.webhooks.update(ctx, p.id, b);
  }

  @Delete(':id')
  @HttpCode(204)
  @Route({ summary: 'Remove a webhook and its delivery log', access: A, tags: T, params: dto.IdParams, status: 204, errors: ['webhook_not_found'] })
  async remove(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    await this.webhooks.remove(ctx, p.id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @Route({ summary: 'A new signing secret, shown this once; the old one stops at once', access: A, tags: T, params: dto.IdParams, response: dto.SecretView, status: 200, errors: ['webhook_not_found'] })
  rotate(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    return this.webhooks.rotateSecret(ctx, p.id);
  }

  @Post(':id/ping')
  @HttpCode(200)
  @Route({ summary: 'Send a signed webhooks.ping now and answer how the receiver took it (logged, not retried)', access: A, tags: T, params: dto.IdParams, response: dto.PingResult, status: 200, errors: ['webhook_not_found'] })
  ping(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    return this.webhooks.ping(ctx, p.id);
  }

  @Get(':id/deliveries')
  @Route({ summary: 'The delivery log, newest first: every attempt with its status, duration, error and the start of the answer', access: A, tags: T, params: dto.IdParams, query: dto.DeliveryQuery, response: dto.DeliveryList, errors: ['webhook_not_found'] })
  deliveries(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Query() q: z.infer<typeof dto.DeliveryQuery>) {
    return this.webhooks.deliveries(ctx, p.id, q);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @Route({ summary: 'Send one delivery again now (same webhook-id, fresh signature)', access: A, tags: T, params: dto.DeliveryParams, response: dto.DeliveryView, status: 202, errors: ['webhook_not_found', 'webhook_delivery_not_found', 'webhook_disabled'] })
  redeliver(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.DeliveryParams>) {
    return this.webhooks.redeliver(ctx, p.id, p.deliveryId);
  }
}
