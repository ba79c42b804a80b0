import type { Channel } from '../messages/messages.dto.js';

/**
 * What deliveries need from the channels module: a connected account and a usable access token.
 * Channels (connected accounts, sealed tokens, refresh) implement it and provide it under this
 * token from their global module, so publishing depends on the port and not on their internals.
 */
export const CHANNEL_ACCESS = Symbol('CHANNEL_ACCESS');

export type Network = Channel;
export type ChannelStatus = 'active' | 'needs_reauth' | 'revoked' | 'disconnected';

/** A connected account as a delivery sees it. Never carries a secret. */
export interface DeliveryChannel {
  id: string;
  orgId: string;
  network: Network;
  /** The network's id of the account: Page id, IG user id, X user id, LinkedIn org URN, YouTube channel id, Mastodon account id, Bluesky DID. */
  accountId: string;
  handle: string | null;
  displayName: string;
  /** Base URL of the network's API for this channel (a simulator in sandbox; a Mastodon instance; a Bluesky PDS). */
  baseUrl: string;
  /** The language this account posts in (BCP 47), or null: the message's first language. */
  language: string | null;
  sandbox: boolean;
  status: ChannelStatus;
}

export interface ChannelCredentials {
  channel: DeliveryChannel;
  /** The token to call the network with (a Page token for Facebook, an access JWT for Bluesky). Never logged. */
  accessToken: string;
  /** Network-specific non-secret extras a provider needs (e.g. Bluesky `did`, Instagram flavour). */
  extra: Readonly<Record<string, string>>;
}

export type AuthFailureKind = 'auth_expired' | 'revoked' | 'permission';

export interface ChannelAccessPort {
  /**
   * The channel and a token valid for at least the next minute, refreshed first when it is
   * closer to expiry than that. Runs outside any tenant context (deliveries are system work).
   * Throws `channel_unavailable` when the channel needs a person (re-authorise, revoked, removed).
   */
  credentialsFor(channelId: string): Promise<ChannelCredentials>;
  /**
   * Why this organisation's messages may no longer go to the channel (removed, no longer shared
   * down to it, disconnected or revoked), in words a person understands; undefined when they may.
   * Asked again at each delivery: a channel can change between approval and the call.
   */
  refusalFor(channelId: string, orgId: string): Promise<string | undefined>;
  /** The network answered with an expired token: refresh now (once) and return the new one. */
  refreshNow(channelId: string): Promise<ChannelCredentials>;
  /** The network refused the token for good: flag the channel for re-authorisation (audited, evented). */
  reportAuthFailure(channelId: string, kind: AuthFailureKind, detail: string): Promise<void>;
}
