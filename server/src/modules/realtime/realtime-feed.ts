import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EventSubscribers } from '../../platform/events/event-subscribers.js';
import { liveEventNames } from './realtime-events.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { RealtimeService } from './realtime.service.js';

/**
 * Feeds the gateway from the event stream: one subscriber per live event, registered from the
 * LIVE_EVENTS table rather than one @OnEvent method each, so that a new event is one line there.
 * A subscriber runs once per event across the deployment (the outbox's consumer dedup); the
 * Redis adapter then fans it out to every replica. The emit happens inside the delivery, before
 * its commit: a redelivery may send an event twice, which clients drop by position, while a
 * crash never loses one that the consumption row says was sent.
 */
@Injectable()
export class RealtimeFeed implements OnModuleInit {
  constructor(
    private readonly subscribers: EventSubscribers,
    private readonly realtime: RealtimeService,
    private readonly gateway: RealtimeGateway,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const name of liveEventNames()) {
      await this.subscribers.register(name, `realtime.${name}`, async (event) => {
        const routed = await this.realtime.route(event);
        if (routed) this.gateway.emit(routed.rooms, routed.wire);
      });
    }
  }
}
