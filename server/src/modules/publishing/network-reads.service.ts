import { Inject, Injectable } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import { CHANNEL_ACCESS, type ChannelAccessPort } from './channel-access.port.js';
import { DeliveryCalls } from './delivery-calls.js';
import type { NetworkReadOutcome, NetworkReadsPort, PublishedPostRef, ReadableChannelRef } from './network-reads.port.js';
import { NetworkReadsRepository } from './network-reads.repository.js';
import { ProviderError, type ProviderCall } from './providers/provider.js';
import { RateLimits, scopesOf } from './rate-limits.js';

/** When a network says "slow down" without saying until when. */
const DEFAULT_WAIT_MS = 60_000;

/**
 * Publishing's side of NETWORK_READS: reads go through the same credentials, shared rate
 * limits and instrumented fetch as deliveries, so a listening poll can never starve a post of
 * its budget unnoticed, and a 429 seen here holds deliveries on that account too.
 */
@Injectable()
export class NetworkReads implements NetworkReadsPort {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: NetworkReadsRepository,
    private readonly calls: DeliveryCalls,
    private readonly limits: RateLimits,
    @Inject(CHANNEL_ACCESS) private readonly channels: ChannelAccessPort,
  ) {}

  publishedPosts(p: { since: Date; limit: number; afterId?: string }): Promise<PublishedPostRef[]> {
    return this.tx.withTenantBypass('publishing: live posts for the network readers', () => this.repo.publishedPosts(p));
  }

  postByExternalId(channelId: string, externalId: string): Promise<PublishedPostRef | undefined> {
    return this.tx.withTenantBypass('publishing: the delivery a mention answers', () => this.repo.postByExternalId(channelId, externalId));
  }

  channelsWithPosts(since: Date): Promise<ReadableChannelRef[]> {
    return this.tx.withTenantBypass('publishing: channels with live posts', () => this.repo.channelsWithPosts(since));
  }

  async read<T>(channelId: string, read: (call: ProviderCall) => Promise<T>): Promise<NetworkReadOutcome<T>> {
    let creds = await this.channels.credentialsFor(channelId);
    const scope = `${creds.channel.network}:${creds.channel.accountId}`;
    const until = await this.limits.take(scopesOf(creds.channel.network, creds.channel.accountId));
    if (until) return { ok: false, retryAt: until, reason: 'rate limit spent' };
    let refreshed = false;
    for (;;) {
      const { call, flush } = this.calls.callFor(creds);
      try {
        const value = await read(call);
        await flush();
        return { ok: true, value };
      } catch (err) {
        await flush();
        if (!(err instanceof ProviderError)) throw err;
        if (err.kind === 'auth_expired' && !refreshed) {
          refreshed = true;
          creds = await this.channels.refreshNow(channelId);
          continue;
        }
        if (err.kind === 'rate_limited' || err.kind === 'quota_exhausted') {
          const retryAt = err.details.retryAt ?? new Date(Date.now() + DEFAULT_WAIT_MS);
          // Shared as deliveries share a refusal: every worker holds off this account until then.
          await this.limits.observe(scope, { bucket: 'engine:refused', remaining: 0, resetAt: retryAt });
          return { ok: false, retryAt, reason: err.message };
        }
        if (err.kind === 'revoked' || err.kind === 'permission' || err.kind === 'auth_expired') {
          await this.channels.reportAuthFailure(channelId, err.kind === 'auth_expired' ? 'auth_expired' : err.kind, err.message);
        }
        throw err;
      }
    }
  }
}
