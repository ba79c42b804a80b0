import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from './events.types.js';
import { EventSubscribers } from './event-subscribers.js';
import { OnEvent } from './on-event.decorator.js';

declare module './events.types.js' {
  interface GudduEvents {
    'spec.pinged': { n: number };
  }
}

@Injectable()
class Pinged {
  seen: number[] = [];

  @OnEvent('spec.pinged', 'spec.pinged-counter')
  async count(event: EventEnvelope<'spec.pinged'>): Promise<void> {
    this.seen.push(event.payload.n);
  }
}

@Injectable()
class SameName {
  @OnEvent('spec.pinged', 'spec.pinged-counter')
  async other(): Promise<void> {}
}

async function boot(...providers: (typeof Pinged | typeof SameName)[]) {
  const mod = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [EventSubscribers, ...providers] }).compile();
  await mod.init();
  return mod;
}

describe('EventSubscribers', () => {
  it('finds @OnEvent methods among the providers at boot, bound to their instance', async () => {
    const mod = await boot(Pinged);
    const [sub] = mod.get(EventSubscribers).of('spec.pinged');
    expect(sub?.consumer).toBe('spec.pinged-counter');
    await sub!.handle({ payload: { n: 7 } } as EventEnvelope, undefined as never);
    expect(mod.get(Pinged).seen).toEqual([7]);
  });

  it('refuses to boot when two subscribers share a consumer name', async () => {
    await expect(boot(Pinged, SameName)).rejects.toThrow(/two subscribers share the consumer name "spec.pinged-counter"/);
  });

  it('refuses a consumer name that is not lower-case dotted words', async () => {
    const mod = await boot();
    await expect(mod.get(EventSubscribers).register('spec.pinged', 'Bad Name', async () => {})).rejects.toThrow(/lower-case/);
  });
});
