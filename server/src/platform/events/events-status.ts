import { Inject, Injectable } from '@nestjs/common';
import { Transactor } from '../database/transactor.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../platform.module.js';
import { EVENT_TRANSPORT, type EventTransport } from './event-transport.js';
import { OutboxRepository } from './outbox.repository.js';
import { ParkedEventsRepository } from './parked-events.repository.js';

/**
 * What /readyz says about events: how far behind publishing is, how many events are
 * dead-lettered (by the relay or by a subscriber), how many wait parked behind a subscriber's
 * dead letter, and the broker's state. It never makes the process unready on its own: with NATS
 * down the API still accepts work, and the outbox buffers it; the backlog age and a dead-letter
 * count above zero are what an operator alerts on.
 */
@Injectable()
export class EventsStatus {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: OutboxRepository,
    private readonly parked: ParkedEventsRepository,
    @Inject(EVENT_TRANSPORT) private readonly transport: EventTransport,
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
  ) {}

  async describe(): Promise<string> {
    const [{ count, oldestAgeSeconds, deadLettered }, subscribers] = await this.tx.withTenantBypass('readiness reads the outbox backlog of every tenant', async () => [
      await this.repo.backlog(),
      await this.parked.counts(),
    ] as const);
    const relay = runsBackgroundWork(this.res.role) ? this.transport.describe() : 'relay runs in worker processes';
    // Dead letters of the relay and of subscribers together; parked: events waiting behind the latter.
    return `backlog ${count}, oldest ${oldestAgeSeconds.toFixed(1)}s; dead-lettered ${deadLettered + subscribers.dead}; parked ${subscribers.parked}; ${relay}`;
  }
}
