import { type Transactor } from '../database/transactor.js';
import type { Logger } from '../logging/logger.js';
import type { EventTransport } from './event-transport.js';
import { type OutboxRepository, type OutboxRow } from './outbox.repository.js';
import { RelayWakeup } from './relay-wakeup.js';

const EVENTS_PER_BATCH = 500;
const POLL_MS = 1000;
const MAX_BACKOFF_MS = 5000;
const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_BATCH = 5_000;
const DAY_MS = 24 * 3600_000;
/** Published events are kept a week (for inspection), then deleted. */
export const PUBLISHED_RETENTION_MS = 7 * DAY_MS;
/** Dedup rows outlive anything a transport can redeliver (JetStream keeps a week). */
export const CONSUMPTION_RETENTION_MS = 30 * DAY_MS;

/**
 * Publishes committed outbox events, at least once and in order per aggregate. Each round is
 * one transaction: lock a batch (see OutboxRepository.claimBatch), hand each event to the
 * transport, mark the ones handed over as published, commit. A crash before the commit leaves
 * the events unpublished and they go again (consumers deduplicate). Any number of relays may
 * run; they share the work without reordering an aggregate.
 */
export class OutboxRelay {
  private stopping = false;
  private running: Promise<void> | undefined;
  private readonly wakeup: RelayWakeup;
  private failures = 0;
  private lastPrune = 0;

  constructor(
    private readonly tx: Transactor,
    private readonly repo: OutboxRepository,
    private readonly transport: EventTransport,
    databaseUrl: string,
    private readonly log: Logger,
    private readonly aggregatesPerBatch = 50,
  ) {
    this.wakeup = new RelayWakeup(databaseUrl, log);
  }

  start(): void {
    this.wakeup.start();
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeup.interrupt();
    await this.running;
    await this.wakeup.stop();
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let more = false;
      try {
        more = this.transport.available() ? await this.round() : false;
        this.failures = 0;
      } catch (err) {
        this.failures += 1;
        this.log.warn({ err, failures: this.failures }, 'outbox relay round failed; retrying');
      }
      if (more || this.stopping) continue;
      if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) await this.pruneQuietly();
      // Back off while the transport or the database is down; otherwise sleep until a commit
      // notifies us, or poll.
      const backoff = this.failures > 0 || !this.transport.available() ? Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.max(this.failures, 1)) : POLL_MS;
      await this.wakeup.wait(backoff);
    }
  }

  /** One batch; true when there may be more to publish right away. */
  async round(): Promise<boolean> {
    return this.tx.withTenantBypass('the outbox relay publishes every tenant\'s events', async () => {
      const batch = await this.repo.claimBatch(this.aggregatesPerBatch, EVENTS_PER_BATCH);
      const published: number[] = [];
      const blocked = new Set<string>();
      for (const event of batch) {
        const key = `${event.aggregateType}/${event.aggregateId}`;
        if (blocked.has(key)) continue;
        if (!this.transport.available()) break;
        try {
          await this.transport.publish(event);
          published.push(event.position);
        } catch (err) {
          // The rest of this aggregate waits behind it; other aggregates go on.
          blocked.add(key);
          await this.repo.markFailed(event.position, (err as Error).message ?? String(err));
          this.logFailure(event, err);
        }
      }
      await this.repo.markPublished(published);
      return batch.length > 0 && published.length > 0;
    });
  }

  /** Deletes published events and dedup rows past their retention; returns what it deleted. */
  async prune(now = new Date()): Promise<{ events: number; consumptions: number }> {
    this.lastPrune = now.getTime();
    return this.tx.withTenantBypass('the outbox relay prunes every tenant\'s published events', () =>
      this.repo.prune(new Date(now.getTime() - PUBLISHED_RETENTION_MS), new Date(now.getTime() - CONSUMPTION_RETENTION_MS), PRUNE_BATCH),
    );
  }

  private async pruneQuietly(): Promise<void> {
    try {
      const pruned = await this.prune();
      if (pruned.events || pruned.consumptions) this.log.info(pruned, 'outbox pruned');
    } catch (err) {
      // Pruning is housekeeping: the next round tries again.
      this.log.warn({ err }, 'outbox prune failed');
    }
  }

  private logFailure(event: OutboxRow, err: unknown): void {
    this.log.warn({ err, eventId: event.id, event: event.name, aggregate: event.aggregateId }, 'event publish failed; will retry');
  }
}
