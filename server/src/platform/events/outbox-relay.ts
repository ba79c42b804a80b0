import { type Transactor } from '../database/transactor.js';
import type { Logger } from '../logging/logger.js';
import { aggregateKey, type EventTransport } from './event-transport.js';
import { type OutboxRepository, type OutboxRow, type RetryPolicy } from './outbox.repository.js';
import { type ParkedEventsRepository } from './parked-events.repository.js';
import { RelayWakeup } from './relay-wakeup.js';

const EVENTS_PER_BATCH = 500;
/** How often an idle relay looks for events when no notification woke it (one was lost). */
export const DEFAULT_POLL_MS = 1000;
const MAX_BACKOFF_MS = 5000;
const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_BATCH = 5_000;
/** Per pruning pass, so that the relay goes back to publishing within a few seconds. */
const PRUNE_MAX_BATCHES = 50;
const DAY_MS = 24 * 3600_000;
/** Published events are kept a week (for inspection), then deleted. */
export const PUBLISHED_RETENTION_MS = 7 * DAY_MS;
/** Dedup rows outlive anything a transport can redeliver (JetStream keeps a week). */
export const CONSUMPTION_RETENTION_MS = 30 * DAY_MS;
/** The configuration's defaults: about 8.5 minutes of attempts before the dead letter. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 10, baseMs: 1000, maxMs: 300_000 };

/**
 * Dead letters nobody redrove or discarded are pruned after `deadLetterRetentionMs`
 * (GUDDU_DEAD_LETTER_RETENTION_DAYS): the relay's own, and subscribers' when `parked` is given.
 */
export interface DeadLetterRetention {
  deadLetterRetentionMs: number;
  parked?: ParkedEventsRepository;
}
const DEFAULT_RETENTION: DeadLetterRetention = { deadLetterRetentionMs: 30 * DAY_MS };
/** How many pruned dead letters are named in the log line (the count is always there). */
const PRUNED_NAMED = 20;

/**
 * Publishes committed outbox events, at least once and in order per aggregate. Each round is
 * one transaction: lock a batch (see OutboxRepository.claimBatch), hand each event to the
 * transport, mark the ones handed over as published, commit. A crash before the commit leaves
 * the events unpublished and they go again (consumers deduplicate). Any number of relays may
 * run; they share the work without reordering an aggregate.
 *
 * An event that fails (its fault, not the broker's) waits with exponential backoff, holding back
 * its aggregate; after `retry.maxAttempts` it is dead-lettered: logged at error level, never
 * tried again until an admin redrives it, and still holding back its aggregate.
 *
 * One relay runs `lanes` rounds at once, as that many relays would (decision 0034): an event that
 * commits while a round is busy delivering (in embedded mode, running every subscriber of the
 * events it holds) is claimed by an idle lane at once instead of waiting for that round to end.
 * Aggregates stay in order: a lane's round holds the heads it claimed until it commits, and the
 * other lanes skip those aggregates.
 */
export class OutboxRelay {
  private stopping = false;
  private running: Promise<void>[] = [];
  private readonly wakeup: RelayWakeup;
  private lastPrune = 0;
  private pruning = false;

  constructor(
    private readonly tx: Transactor,
    private readonly repo: OutboxRepository,
    private readonly transport: EventTransport,
    databaseUrl: string,
    private readonly log: Logger,
    private readonly aggregatesPerBatch = 50,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly retention: DeadLetterRetention = DEFAULT_RETENTION,
    private readonly lanes = 1,
    private readonly pollMs = DEFAULT_POLL_MS,
  ) {
    this.wakeup = new RelayWakeup(databaseUrl, log);
  }

  start(): void {
    this.wakeup.start();
    this.running = Array.from({ length: Math.max(1, this.lanes) }, () => this.loop());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // Wakes every sleeping lane (and makes later waits return at once); then the lanes finish
    // their rounds.
    await this.wakeup.stop();
    await Promise.all(this.running);
  }

  /** One lane: rounds back to back while there is work, then asleep until a commit or the poll. */
  private async loop(): Promise<void> {
    // Per lane: a lane whose round failed backs off; the others are not held by it.
    let failures = 0;
    while (!this.stopping) {
      let more = false;
      try {
        const result = this.transport.available() ? await this.publishRound() : { more: false, transportFault: false };
        more = result.more;
        // A broker that failed mid-round backs the relay off, as one that is down does.
        failures = result.transportFault ? failures + 1 : 0;
      } catch (err) {
        failures += 1;
        this.log.warn({ err, failures }, 'outbox relay round failed; retrying');
      }
      // Also during a long backlog: retention must keep up with steady load. One lane prunes.
      if (!this.stopping && !this.pruning && Date.now() - this.lastPrune > PRUNE_EVERY_MS) await this.pruneQuietly();
      if (more || this.stopping) continue;
      // Back off while the transport or the database is down; otherwise sleep until a commit
      // notifies us, or poll.
      const backoff = failures > 0 || !this.transport.available() ? Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.max(failures, 1)) : this.pollMs;
      await this.wakeup.wait(backoff);
    }
  }

  /** One batch; true when there may be more to publish right away. */
  async round(): Promise<boolean> {
    return (await this.publishRound()).more;
  }

  /**
   * One batch: claim, hand over, then per aggregate mark published the events handed over before
   * its first failure (the rest go again, in order, once that one does), and count the failure
   * against the event unless the broker was at fault. Events of the batch's aggregates that
   * committed while it was handed over go in the same round (nobody else can take them: this
   * round holds their aggregates), instead of waiting for its commit and a new claim.
   */
  private async publishRound(): Promise<{ more: boolean; transportFault: boolean }> {
    return this.tx.withTenantBypass('the outbox relay publishes every tenant\'s events', async () => {
      let batch = await this.repo.claimBatch(this.aggregatesPerBatch, EVENTS_PER_BATCH);
      if (batch.length === 0) return { more: false, transportFault: false };
      const published: number[] = [];
      const stopped = new Set<string>();
      const handed = new Map<string, { aggregateType: string; aggregateId: string; positions: number[] }>();
      let taken = batch.length;
      let transportFaults = 0;
      let transportError: Error | undefined;
      while (batch.length > 0) {
        const outcomes = await this.transport.publish(batch);
        for (const [i, event] of batch.entries()) {
          const key = aggregateKey(event);
          const outcome = outcomes[i] ?? { status: 'skipped' };
          if (stopped.has(key)) continue;
          if (outcome.status === 'published') {
            published.push(event.position);
            const aggregate = handed.get(key) ?? { aggregateType: event.aggregateType, aggregateId: event.aggregateId, positions: [] };
            aggregate.positions.push(event.position);
            handed.set(key, aggregate);
            continue;
          }
          stopped.add(key);
          if (outcome.status !== 'failed') continue;
          if (outcome.fault === 'transport') {
            transportFaults += 1;
            transportError ??= outcome.error;
          } else {
            await this.fail(event, outcome.error);
          }
        }
        const going = [...handed.entries()].filter(([key]) => !stopped.has(key)).map(([, a]) => a);
        if (this.stopping || going.length === 0 || taken >= EVENTS_PER_BATCH) break;
        batch = await this.repo.claimFollowing(going, EVENTS_PER_BATCH - taken);
        taken += batch.length;
      }
      await this.repo.markPublished(published);
      // One line per round, not per event: a broker that fails, fails them all.
      if (transportError) this.log.warn({ err: transportError, events: transportFaults }, 'event transport failed; retrying without counting attempts');
      return { more: published.length > 0, transportFault: transportFaults > 0 };
    });
  }

  /**
   * Deletes published events, dedup rows and dead letters past their retention; returns what it
   * deleted. A pruned dead letter is given up as a discard gives it up (never delivered, the
   * events behind it go on) and is named in a warning.
   */
  async prune(now = new Date()): Promise<{ events: number; consumptions: number; deadLetters: number }> {
    this.lastPrune = now.getTime();
    const deadBefore = new Date(now.getTime() - this.retention.deadLetterRetentionMs);
    const { pruned, letters } = await this.tx.withTenantBypass('the outbox relay prunes every tenant\'s published events and old dead letters', async () => {
      const pruned = await this.repo.prune(new Date(now.getTime() - PUBLISHED_RETENTION_MS), new Date(now.getTime() - CONSUMPTION_RETENTION_MS), PRUNE_BATCH);
      const relay = await this.repo.pruneDeadLetters(deadBefore, PRUNE_BATCH);
      const subscribers = (await this.retention.parked?.pruneDead(deadBefore, PRUNE_BATCH)) ?? [];
      return { pruned, letters: [...relay.map((l) => ({ ...l, consumer: null })), ...subscribers] };
    });
    if (letters.length > 0) {
      this.log.warn({ count: letters.length, deadLetters: letters.slice(0, PRUNED_NAMED), before: deadBefore.toISOString() }, 'dead letters past their retention pruned: never delivered');
    }
    return { ...pruned, deadLetters: letters.length };
  }

  /** Batch after batch (each its own short transaction) until a batch comes back partial. */
  private async pruneQuietly(): Promise<void> {
    this.pruning = true;
    try {
      const total = { events: 0, consumptions: 0, deadLetters: 0 };
      for (let i = 0; i < PRUNE_MAX_BATCHES && !this.stopping; i++) {
        const pruned = await this.prune();
        total.events += pruned.events;
        total.consumptions += pruned.consumptions;
        total.deadLetters += pruned.deadLetters;
        if (pruned.events < PRUNE_BATCH && pruned.consumptions < PRUNE_BATCH && pruned.deadLetters < PRUNE_BATCH) break;
      }
      if (total.events || total.consumptions || total.deadLetters) this.log.info(total, 'outbox pruned');
    } catch (err) {
      // Pruning is housekeeping: the next round tries again.
      this.log.warn({ err }, 'outbox prune failed');
    } finally {
      this.pruning = false;
    }
  }

  private async fail(event: OutboxRow, err: Error): Promise<void> {
    const { attempts, deadLettered } = await this.repo.markFailed(event.position, err.message || String(err), this.retry);
    const about = { err, eventId: event.id, event: event.name, orgId: event.orgId, aggregate: `${event.aggregateType}/${event.aggregateId}`, attempts };
    if (deadLettered) this.log.error(about, 'event dead-lettered: delivery failed too often; its aggregate waits until an admin redrives it');
    else this.log.warn(about, 'event delivery failed; will retry');
  }
}
