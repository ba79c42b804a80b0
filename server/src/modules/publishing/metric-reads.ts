import { Inject, Injectable } from '@nestjs/common';
import { PLATFORM_RESOURCES, type PlatformResources } from '../../platform/platform.module.js';
import { CHANNEL_ACCESS, type ChannelAccessPort, type ChannelCredentials } from './channel-access.port.js';
import { NetworkReadError, type NetworkReadCall, type MetricReadsPort } from './metric-reads.port.js';
import { RateLimits, scopeOfBucket, scopesOf } from './rate-limits.js';

/** METRIC_READS for the rest of the server: the delivery engine's limiter and timeout, for reads. */
@Injectable()
export class MetricReads implements MetricReadsPort {
  constructor(
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(CHANNEL_ACCESS) private readonly channels: ChannelAccessPort,
    private readonly limits: RateLimits,
  ) {}

  async read<T>(channelId: string, read: (call: NetworkReadCall) => Promise<T>): Promise<T> {
    let credentials = await this.credentials(channelId);
    for (let refreshed = false; ; refreshed = true) {
      const { network, accountId } = credentials.channel;
      const blockedUntil = await this.limits.take(scopesOf(network, accountId));
      if (blockedUntil) throw new NetworkReadError('rate_limited', `${network}'s rate limit for this account is reached`, blockedUntil);
      const seen: Array<{ bucket: string; remaining: number; resetAt: Date }> = [];
      const timeoutMs = this.res.config.deliveries.callTimeoutMs;
      const call: NetworkReadCall = {
        channel: credentials.channel,
        accessToken: credentials.accessToken,
        extra: credentials.extra,
        fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
        observeRateLimit: (o) => void seen.push(o),
      };
      try {
        return await read(call);
      } catch (err) {
        if (err instanceof NetworkReadError && err.kind === 'rate_limited' && err.retryAt) {
          // Back off on 429 everywhere: the account's read bucket is empty until the network says.
          seen.push({ bucket: `account:${accountId}:reads`, remaining: 0, resetAt: err.retryAt });
        }
        if (err instanceof NetworkReadError && err.kind === 'auth_expired' && !refreshed) {
          credentials = await this.refresh(channelId);
          continue;
        }
        throw err;
      } finally {
        for (const o of seen.splice(0)) await this.limits.observe(scopeOfBucket(network, accountId, o.bucket), o);
      }
    }
  }

  private async credentials(channelId: string): Promise<ChannelCredentials> {
    try {
      return await this.channels.credentialsFor(channelId);
    } catch (err) {
      throw new NetworkReadError('unavailable', err instanceof Error ? err.message : 'the channel cannot be used');
    }
  }

  private async refresh(channelId: string): Promise<ChannelCredentials> {
    try {
      return await this.channels.refreshNow(channelId);
    } catch (err) {
      throw new NetworkReadError('unavailable', err instanceof Error ? err.message : 'the channel cannot be refreshed');
    }
  }
}
