import { Inject, Injectable } from '@nestjs/common';
import { PLATFORM_RESOURCES, type PlatformResources } from '../../platform/platform.module.js';
import { RunSlots } from '../../platform/jobs/run-slots.js';
import type { ChannelCredentials } from './channel-access.port.js';
import type { ProviderCall, RateLimitObservation } from './providers/provider.js';
import { RateLimits, scopeOfBucket } from './rate-limits.js';

/**
 * The engine's side of a provider call: at most GUDDU_DELIVERY_CONCURRENCY deliveries of this
 * process at once (inside the job worker's run slots), fetch with the engine's timeout, and the
 * rate-limit headers a provider reports, shared once the call is over.
 */
@Injectable()
export class DeliveryCalls {
  private readonly slots: RunSlots;
  private active = 0;
  private peak = 0;

  constructor(
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    private readonly limits: RateLimits,
  ) {
    this.slots = new RunSlots(res.config.deliveries.concurrency);
  }

  /** Runs `fn` in one of the delivery slots: whatever the burst, no more than that many at once. */
  bounded<T>(fn: () => Promise<T>): Promise<T> {
    return this.slots.run(async () => {
      this.active += 1;
      this.peak = Math.max(this.peak, this.active);
      try {
        return await fn();
      } finally {
        this.active -= 1;
      }
    });
  }

  /** Deliveries running now and the most at once since start (the bench reads it). */
  stats(): { active: number; peak: number; limit: number } {
    return { active: this.active, peak: this.peak, limit: this.slots.size };
  }

  callFor(credentials: ChannelCredentials): { call: ProviderCall; flush: () => Promise<void> } {
    const seen: RateLimitObservation[] = [];
    const timeoutMs = this.res.config.deliveries.callTimeoutMs;
    const { network, accountId } = credentials.channel;
    const call: ProviderCall = {
      credentials,
      fetch: (input, init) => fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs) }),
      observeRateLimit: (o) => {
        seen.push(o);
      },
    };
    const flush = async () => {
      for (const o of seen.splice(0)) await this.limits.observe(scopeOfBucket(network, accountId, o.bucket), o);
    };
    return { call, flush };
  }
}
