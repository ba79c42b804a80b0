import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { PLATFORM_RESOURCES, type PlatformResources } from '../../platform/platform.module.js';
import type { Network } from './channel-access.port.js';
import type { RateLimitObservation } from './providers/provider.js';
import { RateLimitsRepository } from './rate-limits.repository.js';

/** The scopes a channel's calls count against: the network's app-wide buckets and the account's. */
export function scopesOf(network: Network, accountId: string): string[] {
  return [network, `${network}:${accountId}`];
}

/** A bucket naming an account is the account's; anything else (`app`, endpoint families) is app-wide. */
export function scopeOfBucket(network: Network, accountId: string, bucket: string): string {
  return /(^|:)account(:|$)/.test(bucket) || bucket.includes(accountId) ? `${network}:${accountId}` : network;
}

// KEYS: one hash per scope (field bucket → "remaining|resetMs"). ARGV[1]: now (ms).
// Blocked: the latest reset among exhausted buckets. Otherwise one call is reserved from each live bucket.
const TAKE = `
local now = tonumber(ARGV[1])
local blocked = 0
for _, key in ipairs(KEYS) do
  local h = redis.call('HGETALL', key)
  for i = 1, #h, 2 do
    local rem, reset = string.match(h[i + 1], '^(-?%d+)|(%d+)$')
    rem = tonumber(rem); reset = tonumber(reset)
    if reset > now and rem <= 0 and reset > blocked then blocked = reset end
  end
end
if blocked > 0 then return blocked end
for _, key in ipairs(KEYS) do
  local h = redis.call('HGETALL', key)
  for i = 1, #h, 2 do
    local rem, reset = string.match(h[i + 1], '^(-?%d+)|(%d+)$')
    if tonumber(reset) > now then redis.call('HSET', key, h[i], (tonumber(rem) - 1) .. '|' .. reset) end
  end
end
return 0`;

const OBSERVE = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local rem = tonumber(ARGV[2]); local reset = tonumber(ARGV[3]); local now = tonumber(ARGV[4])
if cur then
  local crem, creset = string.match(cur, '^(-?%d+)|(%d+)$')
  crem = tonumber(crem); creset = tonumber(creset)
  if creset > now and reset <= creset + 1000 then rem = math.min(rem, crem); reset = math.max(reset, creset) end
end
redis.call('HSET', KEYS[1], ARGV[1], rem .. '|' .. reset)
redis.call('PEXPIREAT', KEYS[1], math.max(reset, now) + 3600000)
return 1`;

/**
 * What the networks said about their limits, shared by every worker: in Redis when REDIS_URL is
 * set, in PostgreSQL otherwise. Before a call the engine takes one call from each bucket it knows
 * for the channel; when one is exhausted it gets the reset time and re-queues the delivery for
 * then (never failed, never holding a worker slot while it waits).
 */
@Injectable()
export class RateLimits implements OnApplicationShutdown {
  private redis: Redis | undefined;

  constructor(
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    private readonly repo: RateLimitsRepository,
  ) {}

  /** null: go ahead (one call reserved); a date: wait until then. */
  async take(scopes: readonly string[]): Promise<Date | null> {
    const r = this.client();
    if (!r) return this.repo.take(scopes);
    const until = Number(await r.eval(TAKE, scopes.length, ...scopes.map((s) => this.key(s)), Date.now()));
    return until > 0 ? new Date(until) : null;
  }

  async observe(scope: string, o: RateLimitObservation): Promise<void> {
    const r = this.client();
    if (!r) return this.repo.observe({ scope, bucket: o.bucket, remaining: o.remaining, resetAt: o.resetAt });
    await r.eval(OBSERVE, 1, this.key(scope), o.bucket, Math.trunc(o.remaining), o.resetAt.getTime(), Date.now());
  }

  async onApplicationShutdown(): Promise<void> {
    // QUIT lets a call already sent finish; a plain disconnect rejects it mid-flight.
    const r = this.redis;
    this.redis = undefined;
    await r?.quit().catch(() => r.disconnect());
  }

  private key(scope: string): string {
    return `${this.res.config.jobs.redisPrefix}:guddu:ratelimit:${scope}`;
  }

  private client(): Redis | undefined {
    if (!this.res.config.redisUrl) return undefined;
    this.redis ??= new Redis(this.res.config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false });
    return this.redis;
  }
}
