import { Injectable } from '@nestjs/common';
import type { AttachmentFacts, AttachmentOwner, MediaAttachmentsPort, RenditionPick } from '../messages/media-attachments.port.js';
import { mediaError } from './media.errors.js';
import { MediaRepository, type AssetRow, type RenditionRow } from './media.repository.js';

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

/** Why a network cannot get this rendition of an asset; undefined if it can. */
function renditionRefusal(pick: RenditionPick, ofAsset: RenditionRow[]): string | undefined {
  const r = ofAsset.find((x) => x.name === pick.rendition);
  if (!r) return ofAsset.length === 0 ? 'the asset has no renditions' : `no rendition "${pick.rendition}" (this asset has ${ofAsset.map((x) => x.name).join(', ')})`;
  const fit = r.networks[pick.channel];
  if (fit && !fit.ok) return `${pick.channel} cannot take it: ${fit.reasons.join('; ')}`;
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

  async assertRenditions(picks: readonly RenditionPick[]): Promise<void> {
    if (picks.length === 0) return;
    const rows = await this.repo.renditionsOf([...new Set(picks.map((p) => p.assetId))]);
    const byAsset = new Map<string, RenditionRow[]>();
    for (const r of rows) byAsset.set(r.asset_id, [...(byAsset.get(r.asset_id) ?? []), r]);
    const refused = picks.flatMap((p) => {
      const reason = renditionRefusal(p, byAsset.get(p.assetId) ?? []);
      return reason ? [{ channel: p.channel, id: p.assetId, rendition: p.rendition, reason }] : [];
    });
    if (refused.length > 0) throw mediaError('rendition_not_available', `${refused.length} of the chosen renditions cannot be used`, { renditions: refused });
  }
}
