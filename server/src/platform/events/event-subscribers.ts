import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { decoratedMethods } from '../discovery/decorated-methods.js';
import type { EventName } from './events.types.js';
import { ON_EVENT, type EventHandler, type OnEventMeta } from './on-event.decorator.js';

export interface Subscriber {
  consumer: string;
  event: EventName;
  handle: EventHandler;
}

const CONSUMER_NAME = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;

/**
 * Every subscriber of the application: the `@OnEvent` methods found among the providers at
 * boot, plus any registered at run time (`register`, for code that is not a Nest provider).
 * Consumer names must be unique: two subscribers sharing one would swallow each other's events.
 */
@Injectable()
export class EventSubscribers {
  private readonly byName = new Map<string, Subscriber>();
  private readonly listeners: ((s: Subscriber) => Promise<void>)[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const { meta, fn } of decoratedMethods<OnEventMeta>(this.discovery, this.scanner, this.reflector, ON_EVENT)) {
      this.add({ ...meta, handle: fn as EventHandler });
    }
  }

  /** Adds a subscriber after boot; the transports start delivering to it at once. */
  async register<N extends EventName>(event: N, consumer: string, handle: EventHandler<N>): Promise<void> {
    const s = this.add({ event, consumer, handle: handle as EventHandler });
    for (const listener of this.listeners) await listener(s);
  }

  /** A transport that keeps per-subscriber state (NATS consumers) hears of late registrations. */
  onRegister(listener: (s: Subscriber) => Promise<void>): void {
    this.listeners.push(listener);
  }

  all(): Subscriber[] {
    return [...this.byName.values()];
  }

  named(consumer: string): Subscriber | undefined {
    return this.byName.get(consumer);
  }

  of(event: string): Subscriber[] {
    return this.all().filter((s) => s.event === event);
  }

  private add(s: Subscriber): Subscriber {
    if (!CONSUMER_NAME.test(s.consumer)) throw new Error(`event consumer name "${s.consumer}" must be lower-case dotted words`);
    if (this.byName.has(s.consumer)) throw new Error(`two subscribers share the consumer name "${s.consumer}"`);
    this.byName.set(s.consumer, s);
    return s;
  }
}
