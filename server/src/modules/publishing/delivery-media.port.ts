import type { Network } from './channel-access.port.js';
import type { PostMedia } from './providers/provider.js';

/** What the media library builds for each attached asset (the provider interface's media). */
export type { PostMedia };

/**
 * What a delivery needs from the media library: the renditions one network's post carries, with
 * their bytes as streams from the platform storage (disk or S3) and a signed link for networks
 * that pull media. The media module owns its tables and implements this (MediaForDelivery)
 * under this token from its global module, as it does MEDIA_ATTACHMENTS for messages.
 */
export const DELIVERY_MEDIA = Symbol('DELIVERY_MEDIA');

export interface DeliveryMediaRequest {
  /** The post's assets in order: the network variant's media, else the message's. */
  assetIds: readonly string[];
  network: Network;
  /** `variants.<network>.renditions`: the rendition picked per asset; others get the network default. */
  picks: Readonly<Record<string, string>>;
  /** The post's language: each image's alt text in it goes with the image. */
  language: string;
}

export type DeliveryMediaAnswer = { media: PostMedia[] } | { refused: string };

export interface DeliveryMediaPort {
  /** Never throws for content reasons: an asset gone or without a usable rendition is `refused`, a sentence. */
  resolve(request: DeliveryMediaRequest): Promise<DeliveryMediaAnswer>;
}
