import { type SimHarness } from './harness.js';
import { type SimRequest, type SimResponse } from './http.js';
import { type OAuthRegistry } from './oauth.js';
import { type RateLimiter } from './rate-limiter.js';
import { type Route } from './router.js';
import { type TokenStore } from './tokens.js';
import { type EngagementExtra } from './engagement.js';

export const NETWORKS = ['facebook', 'instagram', 'x', 'linkedin', 'youtube', 'mastodon', 'bluesky'] as const;
export type NetworkName = (typeof NETWORKS)[number];
/** Services that are not social networks but are simulated the same way (harness, faults, log, admin API). */
export const SERVICES = ['sms'] as const;
export type ServiceName = (typeof SERVICES)[number];
export type SimulatorName = NetworkName | ServiceName;

/** What a network's simulator gets from the harness: shared run state plus its own stores. */
export interface NetworkContext {
  harness: SimHarness;
  tokens: TokenStore;
  oauth: OAuthRegistry;
  limiter: RateLimiter;
  /** The simulator's own base URL (known once it listens), for upload URLs and permalinks. */
  baseUrl(): string;
}

export interface SeededAccount {
  accountId: string;
  accessToken?: string;
  refreshToken?: string;
  [key: string]: unknown;
}

/** One network's contract: its routes, its error shapes, and its seed/admin hooks. */
export interface NetworkDefinition {
  name: SimulatorName;
  routes: Route[];
  /** Rewrites a path before routing (Graph API: drop the `/vNN.0` prefix). */
  normalizePath?(path: string): string;
  /** The network's documented error body for a status (used by injected faults and unknown routes). */
  errorResponse(status: number, req: SimRequest): SimResponse;
  /** The network's answer when a limit is exhausted (status, body and headers). */
  rateLimitedResponse(req: SimRequest): SimResponse;
  /** Creates an account (Page, user, channel...) with a ready token; used by the admin API. */
  seedAccount(input: Record<string, unknown>): SeededAccount;
  /** Adds metrics or comments on top of what the clock grows. */
  addEngagement(postId: string, extra: EngagementExtra): boolean;
  /** Tunable limits and behaviours (documented per network); merged by `PATCH /__sim/config`. */
  config: Record<string, unknown>;
  /** Network state for the admin API (accounts, posts, media) with secrets left out. */
  describe(): unknown;
  reset(): void;
}

export type NetworkFactory = (context: NetworkContext) => NetworkDefinition;
