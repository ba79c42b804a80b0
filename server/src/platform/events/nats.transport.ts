import { jetstream, jetstreamManager, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../logging/logger.js';
import { type EventDelivery } from './event-delivery.js';
import { type EventSubscribers, type Subscriber } from './event-subscribers.js';
import type { EventTransport } from './event-transport.js';
import type { EventEnvelope } from './events.types.js';
import { ensureConsumer, ensureStream, NatsNames } from './nats-streams.js';

const PUBLISH_TIMEOUT_MS = 5000;
const RETRY_MS = 1000;

/**
 * Distributed mode. The connection retries forever, in the background: the process starts and
 * serves with the broker down, the relay waits while `available()` is false, and consumers
 * resume by themselves after a reconnect. Each event goes out with its id as the JetStream
 * message id, so a republish within the duplicate window is dropped by the server.
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

  async publish(event: EventEnvelope): Promise<void> {
    if (!this.js || !this.jsm) throw new Error('NATS is not connected');
    const stream = this.names.stream(event.name);
    if (!this.streams.has(stream)) {
      await ensureStream(this.jsm, this.names, event.name);
      this.streams.add(stream);
    }
    try {
      await this.js.publish(this.names.subject(event.name), JSON.stringify(event), { msgID: event.id, timeout: PUBLISH_TIMEOUT_MS });
    } catch (err) {
      // The stream may be gone (a broker that lost its store): check it again next time.
      this.streams.delete(stream);
      throw err;
    }
  }

  describe(): string {
    return `nats ${this.connected ? 'connected' : 'disconnected'}`;
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
    try {
      this.js = jetstream(nc);
      this.jsm = await jetstreamManager(nc);
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
              try {
                await this.delivery.deliver(s, m.json<EventEnvelope>());
                m.ack();
              } catch (err) {
                this.log.warn({ err, consumer: s.consumer, redelivery: m.info.deliveryCount }, 'event subscriber failed; redelivering later');
                m.nak(Math.min(30_000, 250 * 2 ** Math.min(m.info.deliveryCount, 7)));
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
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
