import { Global, Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Transactor } from '../database/transactor.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../platform.module.js';
import { EventDelivery } from './event-delivery.js';
import { EventOutbox } from './event-outbox.js';
import { EventSubscribers } from './event-subscribers.js';
import { EVENT_TRANSPORT, type EventTransport } from './event-transport.js';
import { EventsStatus } from './events-status.js';
import { InProcessTransport } from './in-process.transport.js';
import { NatsTransport } from './nats.transport.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxRepository, type RetryPolicy } from './outbox.repository.js';
import { ParkedEventRedelivery } from './parked-event-redelivery.js';
import { ParkedEventsRepository } from './parked-events.repository.js';

/**
 * The outbox and the event stream (decision 0006). Global: any service emits through
 * EventOutbox. The relay and the consumers run only in processes that do background work.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [
    OutboxRepository,
    ParkedEventsRepository,
    EventOutbox,
    EventSubscribers,
    EventDelivery,
    EventsStatus,
    {
      provide: EVENT_TRANSPORT,
      inject: [PLATFORM_RESOURCES, EventSubscribers, EventDelivery],
      useFactory: (res: PlatformResources, subscribers: EventSubscribers, delivery: EventDelivery): EventTransport =>
        res.config.natsUrl
          ? new NatsTransport(res.config.natsUrl, res.config.natsPrefix, subscribers, delivery, res.log, retryOf(res))
          : new InProcessTransport(subscribers, delivery, deliverySlots(res)),
    },
  ],
  exports: [EventOutbox, EventSubscribers, EventsStatus],
})
export class EventsModule implements OnApplicationBootstrap, OnModuleDestroy {
  private relay: OutboxRelay | undefined;
  private redelivery: ParkedEventRedelivery | undefined;

  constructor(
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(EVENT_TRANSPORT) private readonly transport: EventTransport,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly tx: Transactor,
    private readonly repo: OutboxRepository,
    private readonly parked: ParkedEventsRepository,
    private readonly subscribers: EventSubscribers,
    private readonly delivery: EventDelivery,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!runsBackgroundWork(this.res.role)) return;
    await this.transport.start();
    const retry = retryOf(this.res);
    const retention = { deadLetterRetentionMs: this.res.config.outbox.deadLetterRetentionMs, parked: this.parked };
    const { aggregatesPerBatch, relayLanes, pollMs } = this.res.config.outbox;
    this.relay = new OutboxRelay(this.tx, this.repo, this.transport, this.res.databaseUrl, this.log, aggregatesPerBatch, retry, retention, relayLanes, pollMs);
    this.relay.start();
    this.redelivery = new ParkedEventRedelivery(this.tx, this.parked, this.subscribers, this.delivery, this.log, retry);
    this.redelivery.start();
  }

  // Before the pool closes: the relay finishes its round (its transaction commits or rolls
  // back), then consumers stop and the broker connection drains.
  async onModuleDestroy(): Promise<void> {
    await this.relay?.stop();
    await this.redelivery?.stop();
    await this.transport.stop();
  }
}

/**
 * Embedded mode: how many subscriber deliveries run at once, across the relay's lanes. Each lane
 * holds a connection for its round, and a delivery takes one (two when its handler opens a unit of
 * work of its own). lanes + 2 × slots stays within half the pool: the relay never waits on itself,
 * and a burst of events leaves the other half to requests and delivery workers (whose concurrency
 * is capped below half too), rather than starving them into pool timeouts.
 */
function deliverySlots(res: PlatformResources): number {
  return Math.max(1, Math.floor((Math.floor(res.config.dbPoolSize / 2) - res.config.outbox.relayLanes) / 2));
}

/** The outbox's retry settings; subscribers of the NATS transport retry and give up by them too. */
function retryOf(res: PlatformResources): RetryPolicy {
  const { maxAttempts, retryBaseMs, retryMaxMs } = res.config.outbox;
  return { maxAttempts, baseMs: retryBaseMs, maxMs: retryMaxMs };
}
