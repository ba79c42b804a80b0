import { Injectable } from '@nestjs/common';
import type { AttachmentFacts, AttachmentOwner, MediaAttachmentsPort } from '../messages/media-attachments.port.js';
import { mediaError } from './media.errors.js';
import { MediaRepository, type AssetRow } from './media.repository.js';

/** Why an asset cannot go into a message, in words a person understands; undefined if it can. */
function refusal(asset: AssetRow | undefined, owner: AttachmentOwner, now: Date): string | undefined {
  // Row-level security already hides other tenants' assets; a sibling's asset seen from a shared
  // parent, or an unshared one of the parent, is still not the message organisation's to use.
  if (!asset) return 'no such asset';
  const ownedHere = asset.org_id === owner.orgId;
  const sharedFromAbove = asset.shared_with_subtree && owner.orgPath.includes(asset.org_id);
  if (!ownedHere && !sharedFromAbove) return 'no such asset';
  if (asset.status !== 'ready') return asset.status === 'processing' ? 'still processing' : `processing ${asset.status}`;
  if (asset.expires_at && asset.expires_at.getTime() <= now.getTime()) return `expired on ${asset.expires_at.toISOString()}`;
  return undefined;
}

/** The media library's answer to messages (MEDIA_ATTACHMENTS): which assets a message may carry. */
@Injectable()
export class MediaAttachments implements MediaAttachmentsPort {
  constructor(private readonly repo: MediaRepository) {}

  async describe(ids: readonly string[]): Promise<AttachmentFacts[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const [assets, renditions] = await Promise.all([this.repo.findMany(unique), this.repo.renditionsOf(unique)]);
    const byId = new Map(assets.map((a) => [a.id, a]));
    return ids.flatMap((id) => {
      const a = byId.get(id);
      if (!a) return [];
      return [{
        id,
        kind: a.kind,
        mime: a.mime,
        bytes: Number(a.bytes),
        width: a.width,
        height: a.height,
        durationMs: a.duration_ms,
        altText: a.alt_text,
        renditions: renditions
          .filter((r) => r.asset_id === id)
          .map((r) => ({ name: r.name, mime: r.mime, bytes: Number(r.bytes), width: r.width, height: r.height, durationMs: r.duration_ms, fitsNetworks: Object.entries(r.networks).filter(([, fit]) => fit.ok).map(([n]) => n) })),
      }];
    });
  }

  async assertAttachable(ids: readonly string[], owner: AttachmentOwner): Promise<void> {
    if (ids.length === 0) return;
    const found = new Map((await this.repo.findMany([...new Set(ids)])).map((a) => [a.id, a]));
    const now = new Date();
    const refused = ids.flatMap((id) => {
      const reason = refusal(found.get(id), owner, now);
      return reason ? [{ id, reason }] : [];
    });
    if (refused.length > 0) throw mediaError('media_not_attachable', `${refused.length} of the message's media cannot be attached`, { assets: refused });
  }

  async assertAltText(ids: readonly string[], languages: readonly string[]): Promise<void> {
    if (ids.length === 0 || languages.length === 0) return;
    const assets = await this.repo.findMany([...new Set(ids)]);
    const missing = assets
      .filter((a) => a.kind === 'image')
      .flatMap((a) => {
        const langs = languages.filter((l) => !(a.alt_text[l] ?? '').trim());
        return langs.length > 0 ? [{ id: a.id, languages: langs }] : [];
      });
    if (missing.length > 0) throw mediaError('alt_text_missing', 'Every image needs alt text in each of the message’s languages before it is submitted', { assets: missing });
  }
}
