/**
 * What messages needs from the media library: whether `content.media` names assets a message
 * may carry. Media implements it (MediaAttachments) and provides it under this token from its
 * global module; messages cannot import MediaModule, which already imports MessagesModule for
 * AssetUsageService, so the dependency is inverted through this port instead.
 */
export const MEDIA_ATTACHMENTS = Symbol('MEDIA_ATTACHMENTS');

/** The organisation a message belongs to, and its path from the root (itself included). */
export interface AttachmentOwner {
  orgId: string;
  orgPath: readonly string[];
}

/** What a network check needs of one attached asset and of each rendition made of it. */
export interface MediaFacts {
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
}
export interface AttachmentFacts extends MediaFacts {
  id: string;
  kind: 'image' | 'video';
  /** Alt text by language. */
  altText: Readonly<Record<string, string>>;
  /** Renditions with the networks each fits (the media library's own verdict). */
  renditions: readonly (MediaFacts & { name: string; fitsNetworks: readonly string[] })[];
}

/** One network's choice of rendition for one attached asset (`variants.<channel>.renditions`). */
export interface RenditionPick {
  channel: string;
  assetId: string;
  rendition: string;
}

export interface MediaAttachmentsPort {
  /** Facts of the assets (in the order given; unknown ids are left out), for publishing's checks. */
  describe(ids: readonly string[]): Promise<AttachmentFacts[]>;
  /**
   * Each id must be an asset of the owner's organisation, or one shared with the subtree by an
   * organisation above it; ready; and not expired. Throws `media_not_attachable` (400) otherwise.
   */
  assertAttachable(ids: readonly string[], owner: AttachmentOwner): Promise<void>;
  /** Every image has alt text in each of the languages. Throws `alt_text_missing` (409). */
  assertAltText(ids: readonly string[], languages: readonly string[]): Promise<void>;
  /**
   * Each picked rendition exists on its asset and its network can take it. Call after
   * assertAttachable (an unknown asset is reported there). Throws `rendition_not_available` (400).
   */
  assertRenditions(picks: readonly RenditionPick[]): Promise<void>;
}
