import type { Network } from './channel-access.port.js';
import type { ProviderCall } from './providers/provider.js';

/**
 * What analytics needs from publishing to read from the networks (comments, mentions, metrics):
 * the posts Guddu published, and a call as the delivery engine makes one, inside the same shared
 * rate limits (decision 0029). Publishing provides it under this token; analytics never reaches
 * into the engine, the limiter or the channels' tokens.
 */
export const NETWORK_READS = Symbol('NETWORK_READS');

export type { Network } from './channel-access.port.js';
export { ProviderError, type DeliveryErrorClass, type ProviderCall, type RateLimitObservation } from './providers/provider.js';

/** A delivery that is live on its network. */
export interface PublishedPostRef {
  deliveryId: string;
  orgId: string;
  messageId: string;
  channelId: string;
  network: Network;
  externalId: string;
  publishedAt: Date;
}

/** A channel (connected account) that carried at least one live delivery. */
export interface ReadableChannelRef {
  channelId: string;
  orgId: string;
  network: Network;
}

export type NetworkReadOutcome<T> = { ok: true; value: T } | { ok: false; retryAt: Date; reason: string };

export interface NetworkReadsPort {
  /** Live deliveries published after `since`, oldest first, after `afterId` for paging. */
  publishedPosts(p: { since: Date; limit: number; afterId?: string }): Promise<PublishedPostRef[]>;
  /** The live delivery of a channel whose post has this network id, if any (to link a mention to its message). */
  postByExternalId(channelId: string, externalId: string): Promise<PublishedPostRef | undefined>;
  /** Channels with a live delivery since `since`, each with the organisation that published on it most recently. */
  channelsWithPosts(since: Date): Promise<ReadableChannelRef[]>;
  /**
   * Runs `read` as the channel's account: credentials from channels, one call taken from every
   * rate-limit bucket the engine knows for the account (a spent bucket answers `ok: false` with
   * when to come back, without calling), the headers it reports shared with every worker, and an
   * expired token refreshed once. `read` must only read: nothing here reconciles a lost answer.
   */
  read<T>(channelId: string, read: (call: ProviderCall) => Promise<T>): Promise<NetworkReadOutcome<T>>;
}
