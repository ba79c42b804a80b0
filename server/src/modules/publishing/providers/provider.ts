import type { Readable } from 'node:stream';
import type { ChannelCredentials, Network } from '../channel-access.port.js';

/**
 * One network's half of publishing: validate, publish, reconcile, retract (and, later, the reads
 * analytics needs). One file per network beside this one implements it; the delivery engine
 * knows only this interface, so the same engine drives the sandbox and the real networks.
 * Connecting and refreshing accounts is the channels module's (its connectors).
 */

/**
 * Every vendor error maps to exactly one of these, and the class alone decides what the engine
 * does next (../shared/contracts/social-apis.md §0.3):
 * - auth_expired: refresh the token once, then retry; revoked / permission: a person must act.
 * - rate_limited / quota_exhausted: wait until `retryAt` (never failed for it, never holding a slot).
 * - duplicate: the network already has this post; reconcile to find it, else fail.
 * - validation / media_failed: the content cannot go as it is; fail with the reason.
 * - transient: retry with backoff. unknown_outcome: the call may have landed: reconcile, never resend blindly.
 */
export const DELIVERY_ERROR_CLASSES = [
  'auth_expired',
  'revoked',
  'permission',
  'rate_limited',
  'quota_exhausted',
  'duplicate',
  'validation',
  'media_failed',
  'transient',
  'unknown_outcome',
] as const;
export type DeliveryErrorClass = (typeof DELIVERY_ERROR_CLASSES)[number];

export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly kind: DeliveryErrorClass,
    /** A sentence a comms officer understands ("X refused the post as a duplicate of an earlier one"). */
    message: string,
    readonly details: { retryAt?: Date; httpStatus?: number; vendorCode?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

/** A rendition the delivery attaches, chosen by the media module for this network. */
export interface PostMedia {
  assetId: string;
  kind: 'image' | 'video';
  mimeType: string;
  bytes: number;
  width: number;
  height: number;
  durationMs: number | null;
  /** Alt text in the post's language, when the asset has it. */
  altText: string | null;
  /** The rendition's bytes, for networks that take an upload. */
  open(): Promise<Readable>;
  /** A short-lived URL the network can fetch, for networks that pull media (Instagram, Facebook). */
  url: string;
}

/** Exactly what one delivery sends: the approved variant for this channel, in the channel's language. */
export interface PostInput {
  /** Stable for (message version, channel): the network's idempotency key or record key derives from it. */
  idempotencyKey: string;
  text: string;
  link: string | null;
  language: string;
  media: readonly PostMedia[];
  /** Network options from the channel variant (YouTube title and privacy, …). */
  options: Readonly<Record<string, string | number | boolean>>;
}

export interface PublishedPost {
  externalId: string;
  url: string | null;
}

/** Rate-limit state read from a response's headers (or a documented window). */
export interface RateLimitObservation {
  /** What the limit is keyed on: `app`, or `account:<accountId>`, with the endpoint family (`x:posts`). */
  bucket: string;
  remaining: number;
  resetAt: Date;
}

/** What a provider call gets: the channel's credentials and an HTTP client the engine instruments. */
export interface ProviderCall {
  credentials: ChannelCredentials;
  /** fetch with the engine's timeout; a timeout or reset surfaces as `unknown_outcome` for creates. */
  fetch: typeof fetch;
  /** Report rate-limit headers seen on any response, so every worker shares what this one learned. */
  observeRateLimit(o: RateLimitObservation): void;
}

export interface ValidationProblem {
  field: 'text' | 'link' | 'media' | 'options';
  code: string;
  message: string;
}

/** What validate() reads: a post without its key, and media described without their bytes. */
export type ValidationInput = Omit<PostInput, 'idempotencyKey' | 'media'> & { media: readonly Omit<PostMedia, 'open'>[] };

export interface Provider {
  readonly network: Network;
  /** What the network's API lets Guddu do; the console and validation read it. */
  readonly capabilities: {
    text: boolean;
    link: boolean;
    maxImages: number;
    video: boolean;
    /** false when the API cannot delete a post (the retract answer says so). */
    retract: boolean;
  };
  /** Content checks that need no network call, run when content is saved and before approval. */
  validate(input: ValidationInput): ValidationProblem[];
  publish(call: ProviderCall, input: PostInput): Promise<PublishedPost>;
  /**
   * Did an earlier attempt that lost its answer create the post? By the network's own rule
   * (contract §0.2): idempotency key replay, record key, container status, or a search of the
   * account's own posts since `since`. Never creates anything.
   */
  reconcile(call: ProviderCall, input: PostInput, since: Date): Promise<PublishedPost | null>;
  /** Delete a published post. Already gone counts as done. Throws `permission` when the API cannot. */
  retract(call: ProviderCall, externalId: string): Promise<void>;
}
