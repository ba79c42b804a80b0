import { jetstream, JetStreamApiError, jetstreamManager, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, InvalidArgumentError, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../logging/logger.js';
import { type EventDelivery } from './event-delivery.js';
import { type EventSubscribers, type Subscriber } from './event-subscribers.js';
import { byAggregate, type EventTransport, type PublishOutcome } from './event-transport.js';
import type { EventEnvelope } from './events.types.js';
import { ensureConsumer, ensureStream, NatsNames } from './nats-streams.js';
import type { RetryPolicy } from './outbox.repository.js';

const PUBLISH_TIMEOUT_MS = 5000;
const RETRY_MS = 1000;
/**
 * A consumer holds one message in flight (nats-streams.ts), so while a failed event waits for its
 * redelivery the consumer's other aggregates wait too: the wait is capped lower than the outbox's.
 */
const REDELIVERY_MAX_MS = 30_000;

/**
 * Distributed mode. The connection retries forever, in the background: the process starts and
 * serves with the broker down, the relay waits while `available()` is false, and consumers
 * resume by themselves after a reconnect. Each event goes out with its id as the JetStream
 * message id, so a republish within the duplicate window is dropped by the server.
 *
 * A batch goes out as one chain per aggregate, all chains at once: within an aggregate an event
 * is sent only after the previous one is acknowledged. Pipelining an aggregate's events on the
 * one connection would keep their order only while nothing fails: a message lost with a dropped
 * socket while the next one, still in the client's buffer, is sent after the reconnect puts the
 * later event first in the stream, and the republish of the earlier one lands behind it.
 *
 * A subscriber that fails an event has it redelivered with backoff; after `retry.maxAttempts`
 * deliveries the event is dead-lettered in PostgreSQL and acknowledged, so the consumer's other
 * aggregates go on, while the later events of its aggregate are parked behind it (decision 0013).
 */
export class NatsTransport implements EventTransport {
  readonly kind = 'nats';
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private jsm: JetStreamManager | undefined;
  private connected = false;
  private stopped = false;
  private readonly streams = new Set<string>();
  private readonly consuming = new Set<ConsumerMessages>();
  private readonly loops: Promise<void>[] = [];
  private readonly names: NatsNames;

  constructor(
    private readonly url: string,
    prefix: string,
    private readonly subscribers: EventSubscribers,
    private readonly delivery: EventDelivery,
    private readonly log: Logger,
    private readonly retry: RetryPolicy,
  ) {
    this.names = new NatsNames(prefix);
  }

  async start(): Promise<void> {
    void this.connectInBackground();
    for (const s of this.subscribers.all()) this.consume(s);
    this.subscribers.onRegister(async (s) => this.consume(s));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const messages of this.consuming) messages.stop();
    await Promise.all(this.loops);
    await this.nc?.drain().catch((err: unknown) => this.log.debug({ err }, 'draining the NATS connection'));
  }

  available(): boolean {
    return this.connected && this.jsm !== undefined;
  }

  async publish(batch: readonly EventEnvelope[]): Promise<PublishOutcome[]> {
    const outcomes: PublishOutcome[] = batch.map(() => ({ status: 'skipped' }));
    const streams = await this.ensureStreams(batch);
    await Promise.all(
      byAggregate(batch).map(async (chain) => {
        for (const { index, event } of chain) {
          const outcome = await this.publishOne(event, streams.get(this.names.stream(event.name)));
          outcomes[index] = outcome;
          if (outcome.status !== 'published') return; // the rest of the chain stays 'skipped'
        }
      }),
    );
    return outcomes;
  }

  describe(): string {
    return `nats ${this.connected ? 'connected' : 'disconnected'}`;
  }

  /** Each stream the batch needs, checked (created when missing) once; an error per stream that is not there. */
  private async ensureStreams(batch: readonly EventEnvelope[]): Promise<Map<string, Error | undefined>> {
    const byStream = new Map<string, string>();
    for (const e of batch) byStream.set(this.names.stream(e.name), e.name);
    const result = new Map<string, Error | undefined>();
    for (const [stream, event] of byStream) {
      if (this.streams.has(stream)) continue;
      try {
        if (!this.jsm) throw new Error('NATS is not connected');
        await ensureStream(this.jsm, this.names, event);
        this.streams.add(stream);
      } catch (err) {
        result.set(stream, asError(err));
      }
    }
    return result;
  }

  private async publishOne(event: EventEnvelope, streamError: Error | undefined): Promise<PublishOutcome> {
    if (streamError) return { status: 'failed', fault: 'transport', error: streamError };
    if (!this.js || !this.available()) return { status: 'failed', fault: 'transport', error: new Error('NATS is not connected') };
    let data: string;
    try {
      data = JSON.stringify(event);
    } catch (err) {
      return { status: 'failed', fault: 'event', error: asError(err) };
    }
    try {
      await this.js.publish(this.names.subject(event.name), data, { msgID: event.id, timeout: PUBLISH_TIMEOUT_MS });
      return { status: 'published' };
    } catch (err) {
      // The stream may be gone (a broker that lost its store): check it again next time.
      this.streams.delete(this.names.stream(event.name));
      return { status: 'failed', fault: this.faultOf(err), error: asError(err) };
    }
  }

  /**
   * Whether a failed publish is this event's fault (counted, dead-lettered in the end) or the
   * broker's (retried without counting). Only refusals of this very message count: its size over
   * the connection's max_payload or the stream's max_msg_size. A timeout, a lost connection, a
   * full stream or a missing JetStream is the broker's, whatever the event.
   */
  private faultOf(err: unknown): 'event' | 'transport' {
    if (!this.available()) return 'transport';
    if (err instanceof InvalidArgumentError) return 'event';
    if (err instanceof JetStreamApiError && err.code === MESSAGE_TOO_LARGE) return 'event';
    return 'transport';
  }

  private async connectInBackground(): Promise<void> {
    // First connection: our own retry loop rather than the client's waitOnFirstConnect, so that
    // a stop while the broker is down ends it. Once connected, the client reconnects forever.
    let nc: NatsConnection | undefined;
    while (!nc && !this.stopped) {
      try {
        nc = await connect({ servers: this.url, name: 'guddu', maxReconnectAttempts: -1, reconnectTimeWait: 500 });
      } catch (err) {
        this.log.warn({ err, url: this.url }, 'NATS unreachable; events wait in the outbox');
        await sleep(RETRY_MS);
      }
    }
    if (!nc) return;
    this.nc = nc;
    if (this.stopped) return void (await nc.close());
    // JetStream may not answer yet (not enabled, electing a leader, a timeout): keep asking, as
    // for the connection, rather than leave the relay waiting on a flag nothing will set.
    while (!this.jsm && !this.stopped) {
      try {
        this.jsm = await jetstreamManager(nc);
      } catch (err) {
        this.log.warn({ err }, 'NATS JetStream not answering yet; events wait in the outbox');
        await sleep(RETRY_MS);
      }
    }
    if (this.stopped) return;
    try {
      this.js = jetstream(nc);
      this.connected = true;
      this.log.info({ url: this.url }, 'connected to NATS');
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') {
          this.connected = false;
          this.log.warn('NATS connection lost; events wait in the outbox');
        } else if (status.type === 'reconnect') {
          this.connected = true;
          this.log.info('NATS connection back');
        }
      }
      // The status stream ends only when the connection is closed for good.
      this.connected = false;
    } catch (err) {
      this.log.error({ err }, 'NATS JetStream unavailable');
    }
  }

  /** One loop per subscriber: (re)attach to its durable consumer and process in order. */
  private consume(s: Subscriber): void {
    const loop = async () => {
      while (!this.stopped) {
        try {
          if (!this.available() || !this.jsm || !this.js) {
            await sleep(RETRY_MS / 4);
            continue;
          }
          const { stream, durable } = await ensureConsumer(this.jsm, this.names, s.event, s.consumer);
          const consumer = await this.js.consumers.get(stream, durable);
          const messages = await consumer.consume({ max_messages: 10 });
          this.consuming.add(messages);
          if (this.stopped) messages.stop();
          try {
            for await (const m of messages) {
              let event: EventEnvelope | undefined;
              try {
                event = m.json<EventEnvelope>();
                await this.delivery.deliver(s, event);
                m.ack();
              } catch (err) {
                await this.failed(s, m, event, asError(err));
              }
            }
          } finally {
            this.consuming.delete(messages);
          }
        } catch (err) {
          if (!this.stopped) this.log.warn({ err, consumer: s.consumer }, 'event consumer interrupted; reattaching');
          await sleep(RETRY_MS);
        }
      }
    };
    this.loops.push(loop());
  }

  /**
   * A delivery failed: redelivered later with backoff, or, at the set number of deliveries,
   * dead-lettered and acknowledged. If the dead letter cannot be recorded (the database is
   * down), the message is redelivered and the next failure tries again.
   */
  private async failed(s: Subscriber, m: Delivered, event: EventEnvelope | undefined, err: Error): Promise<void> {
    const attempts = m.info.deliveryCount;
    const about = { err, consumer: s.consumer, eventId: event?.id, event: event?.name, attempts };
    if (attempts < this.retry.maxAttempts) {
      this.log.warn(about, 'event subscriber failed; redelivering later');
      m.nak(Math.min(REDELIVERY_MAX_MS, this.retry.maxMs, this.retry.baseMs * 2 ** Math.min(attempts - 1, 30)));
      return;
    }
    if (!event) {
      // Not an event at all (it did not parse): nothing to record or redrive.
      this.log.error({ ...about, bytes: m.data.length }, 'unreadable message dropped by its consumer');
      m.term('unreadable');
      return;
    }
    try {
      await this.delivery.deadLetter(s, event, attempts, err);
    } catch (recordErr) {
      this.log.warn({ ...about, recordErr }, 'event subscriber failed and its dead letter could not be recorded; redelivering later');
      m.nak(REDELIVERY_MAX_MS);
      return;
    }
    this.log.error({ ...about, orgId: event.orgId, aggregate: `${event.aggregateType}/${event.aggregateId}` }, 'event dead-lettered by its subscriber: delivery failed too often; the rest of its aggregate is parked until an admin redrives or discards it');
    m.ack();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Delivered = { info: { deliveryCount: number }; ack(): void; nak(delayMs?: number): void; term(reason?: string): void; data: Uint8Array };

// The NATS server's JSStreamMessageExceedsMaximumErr: this message is too large for its stream.
const MESSAGE_TOO_LARGE = 10054;

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

