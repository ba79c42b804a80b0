import { AckPolicy, DeliverPolicy, JetStreamApiError, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { domainOf } from './events.types.js';

/**
 * Names and shapes on the broker. One stream per domain (`GUDDU_IDENTITY` holds
 * `guddu.identity.>`), one durable pull consumer per subscriber. The prefix keeps installations
 * (and test runs) that share a NATS apart.
 */
export class NatsNames {
  constructor(private readonly prefix: string) {}

  subject(event: string): string {
    return `${this.prefix}.${event}`;
  }

  stream(event: string): string {
    return `${this.prefix}_${domainOf(event)}`.toUpperCase();
  }

  streamSubjects(event: string): string {
    return `${this.prefix}.${domainOf(event)}.>`;
  }

  durable(consumer: string): string {
    return consumer.replace(/[^A-Za-z0-9_-]/g, '_');
  }
}

const STREAM_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
// A delivery not acknowledged in this time (the worker died, or the ack was lost to a broker
// restart) is redelivered, and deduplicated by the subscriber.
export const ACK_WAIT_MS = 10_000;
// JetStream drops a republished message with the same id within this window; past it the
// subscribers' dedup table still holds.
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

function isNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && (err.code === 10059 || err.code === 10014);
}

export async function ensureStream(jsm: JetStreamManager, names: NatsNames, event: string): Promise<string> {
  const name = names.stream(event);
  try {
    await jsm.streams.info(name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.streams.add({
      name,
      subjects: [names.streamSubjects(event)],
      storage: StorageType.File,
      max_age: nanos(STREAM_MAX_AGE_MS),
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    });
  }
  return name;
}

/**
 * The subscriber's durable consumer. One message in flight at a time (max_ack_pending 1): the
 * stream is in publish order, so this keeps each aggregate's order even with several workers
 * pulling from the same consumer. Throughput per subscriber is bounded by one handler
 * transaction per event; partitioning by aggregate is the way out when that is too slow.
 */
export async function ensureConsumer(jsm: JetStreamManager, names: NatsNames, event: string, consumer: string): Promise<{ stream: string; durable: string }> {
  const stream = await ensureStream(jsm, names, event);
  const durable = names.durable(consumer);
  try {
    await jsm.consumers.info(stream, durable);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.consumers.add(stream, {
      durable_name: durable,
      filter_subject: names.subject(event),
      ack_policy: AckPolicy.Explicit,
      // A subscriber added later still gets what the stream retains: at least once, not "from
      // now on" (the in-process transport, which keeps no history, starts from registration).
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(ACK_WAIT_MS),
      max_ack_pending: 1,
      max_deliver: -1,
    });
  }
  return { stream, durable };
}
