import { Inject, Injectable } from '@nestjs/common';
import { MEDIA_ATTACHMENTS, type AttachmentFacts, type MediaAttachmentsPort } from '../messages/media-attachments.port.js';
import type { Network } from './channel-access.port.js';
import type { PostMedia, ValidationProblem } from './providers/provider.js';
import { ProviderRegistry } from './providers/providers.registry.js';

/** The part of a message's content a network check reads (structurally messages' MessageContent). */
export interface PublishableContent {
  bodies: Readonly<Record<string, string>>;
  link: string | null;
  media: readonly string[];
  channels: readonly Network[];
  variants: Partial<Record<Network, { bodies?: Record<string, string> | undefined; link?: string | null | undefined; media?: string[] | undefined; options?: Record<string, string | number | boolean> | undefined } | undefined>>;
}

export interface PublishingProblem extends ValidationProblem {
  channel: Network;
  language: string;
}

type CheckedMedia = Omit<PostMedia, 'open'>;

/**
 * Would each targeted network take this content as it stands? Each provider's own validate()
 * runs on what a delivery would send (the variant's text, link, media and options, per
 * language), with every attachment described by the rendition the library made for that network
 * when one fits, else by the original. Messages shows the answer when content is saved and
 * refuses to submit while it is not empty.
 */
@Injectable()
export class PublishingValidation {
  constructor(
    private readonly providers: ProviderRegistry,
    @Inject(MEDIA_ATTACHMENTS) private readonly media: MediaAttachmentsPort,
  ) {}

  async check(content: PublishableContent): Promise<PublishingProblem[]> {
    const ids = new Set([...content.media, ...content.channels.flatMap((ch) => content.variants[ch]?.media ?? [])]);
    const facts = new Map((await this.media.describe([...ids])).map((f) => [f.id, f]));
    const out: PublishingProblem[] = [];
    for (const channel of content.channels) {
      const provider = this.providers.find(channel);
      if (!provider) continue;
      const variant = content.variants[channel];
      const link = variant?.link !== undefined ? variant.link : content.link;
      const mediaIds = variant?.media ?? content.media;
      for (const language of Object.keys(content.bodies)) {
        const text = variant?.bodies?.[language] ?? content.bodies[language] ?? '';
        const media = mediaIds.flatMap((id) => {
          const f = facts.get(id);
          return f ? [forNetwork(f, channel, language)] : [];
        });
        for (const p of provider.validate({ text, link, language, media, options: variant?.options ?? {} })) out.push({ channel, language, ...p });
      }
    }
    return out;
  }
}

/** The rendition the library made for this network when one fits; else the smallest of the same kind; else the original. */
function forNetwork(f: AttachmentFacts, network: Network, language: string): CheckedMedia {
  const fitting = f.renditions.find((r) => r.fitsNetworks.includes(network));
  const smallest = [...f.renditions].filter((r) => r.mime.split('/')[0] === f.kind).sort((a, b) => a.bytes - b.bytes)[0];
  const chosen = fitting ?? (LIBRARY_NETWORKS.has(network) ? undefined : smallest) ?? f;
  return {
    assetId: f.id,
    kind: f.kind,
    mimeType: chosen.mime,
    bytes: chosen.bytes,
    width: chosen.width ?? 0,
    height: chosen.height ?? 0,
    durationMs: chosen.durationMs,
    altText: f.altText[language] ?? null,
    url: '',
  };
}

/** Networks the media library checks renditions for (media/network-limits.ts). */
const LIBRARY_NETWORKS = new Set<Network>(['facebook', 'x', 'instagram', 'youtube', 'linkedin']);
