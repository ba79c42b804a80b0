import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import type { ObjectStorage } from '../../platform/storage/object-storage.js';
import { OBJECT_STORAGE } from '../../platform/storage/storage.factory.js';
import type { DeliveryMediaAnswer, DeliveryMediaPort, DeliveryMediaRequest, PostMedia } from '../publishing/delivery-media.port.js';
import { defaultRendition } from './delivery-renditions.js';
import { MediaLinks } from './media-links.js';
import { MediaRepository } from './media.repository.js';

/**
 * The media library's answer to publishing (DELIVERY_MEDIA): the rendition each asset sends to a
 * network, its facts, its alt text in the post's language, its bytes as a stream read from
 * storage when the provider uploads them, and an absolute signed link for networks that pull
 * (Facebook, Instagram). The run that calls this holds the tenant bypass of the delivery engine,
 * so the rows are read as the engine sees them; whether the message could carry the asset was
 * settled at submit (assertAttachable), and an asset deleted since is refused here.
 */
@Injectable()
export class MediaForDelivery implements DeliveryMediaPort {
  constructor(
    private readonly repo: MediaRepository,
    private readonly links: MediaLinks,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async resolve(req: DeliveryMediaRequest): Promise<DeliveryMediaAnswer> {
    const ids = [...new Set(req.assetIds)];
    if (ids.length === 0) return { media: [] };
    const [assets, renditions] = await Promise.all([this.repo.findMany(ids), this.repo.renditionsOf(ids)]);
    const media: PostMedia[] = [];
    for (const id of ids) {
      const asset = assets.find((a) => a.id === id);
      if (!asset || asset.status !== 'ready') return { refused: `A picture or video of the message (${id}) is no longer in the media library` };
      const own = renditions.filter((r) => r.asset_id === id);
      const name = req.picks[id] ?? defaultRendition(asset, own, req.network);
      const r = own.find((x) => x.name === name);
      if (!r) return { refused: `The media library has no version of "${asset.original_name}" that ${req.network} takes` };
      const storageKey = r.storage_key;
      media.push({
        assetId: id,
        kind: r.mime.startsWith('video/') ? 'video' : 'image',
        mimeType: r.mime,
        bytes: Number(r.bytes),
        width: r.width ?? 0,
        height: r.height ?? 0,
        durationMs: r.duration_ms,
        altText: asset.alt_text[req.language]?.trim() || null,
        open: () => this.storage.read(storageKey),
        url: `${this.config.publicUrl}${this.links.linkTo(storageKey, r.mime)}`,
      });
    }
    return { media };
  }
}
