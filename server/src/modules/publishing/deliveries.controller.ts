import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { type RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import * as dto from './deliveries.dto.js';
import { DeliveriesService } from './deliveries.service.js';
import { deliveryView } from './deliveries.views.js';

const T = ['deliveries'];

@Controller('api/v1')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get('messages/:id/deliveries')
  @Route({ summary: 'Where a message went: per channel its state, attempts, post id and URL, failure reason', access: 'content.read', tags: T, params: dto.IdParams, response: dto.DeliveryList, errors: ['message_not_found'] })
  async list(@Param() p: z.infer<typeof dto.IdParams>) {
    return { items: (await this.deliveries.forMessage(p.id)).map((x) => deliveryView(x.delivery, x.attempts)) };
  }

  @Post('deliveries/:id/retry')
  @HttpCode(200)
  @Route({ summary: 'Retry a failed delivery', access: 'content.publish', tags: T, params: dto.IdParams, response: dto.DeliveryView, errors: ['delivery_not_found', 'delivery_not_retryable', 'cannot_retry_delivery'] })
  async retry(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    return deliveryView(await this.deliveries.retry(ctx, p.id));
  }

  @Post('messages/:id/retract')
  @HttpCode(200)
  @Route({ summary: 'Take a published message down from every network whose API allows it', access: 'content.retract', stepUp: true, tags: T, params: dto.IdParams, body: dto.RetractBody, response: dto.RetractView, errors: ['message_not_found', 'message_not_retractable'] })
  async retract(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.RetractBody>) {
    const answers = await this.deliveries.retract(ctx, p.id, b.reason);
    return { messageId: p.id, items: answers.map((a) => ({ deliveryId: a.delivery.id, channelId: a.delivery.channel_id, network: a.delivery.network, state: a.delivery.state, detail: a.detail })) };
  }
}
