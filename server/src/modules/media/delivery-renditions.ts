import type { RenditionRow } from './media.repository.js';

/**
 * Which rendition of an asset a network gets when the variant picked none. Only renditions go
 * out, never the original: renditions are stripped of metadata (GPS and camera EXIF) unless the
 * uploader kept it, and the original may be a format or size no network takes.
 * - Pictures: the crop closest to the original's shape (1.91:1, square or 4:5). All three are
 *   1080-wide JPEGs every network takes; Instagram's 4:5 to 1.91:1 window holds all three.
 * - Videos: the largest `video_<N>p` the media library judged fit for the network; for networks
 *   it does not judge (Mastodon, Bluesky: about 100 MB) the largest at or under 720p.
 */
export function defaultRendition(
  asset: { kind: 'image' | 'video'; width: number | null; height: number | null },
  renditions: readonly Pick<RenditionRow, 'name' | 'height' | 'networks'>[],
  network: string,
): string | undefined {
  const names = new Set(renditions.map((r) => r.name));
  if (asset.kind === 'image') {
    const aspect = asset.width && asset.height ? asset.width / asset.height : 1;
    const order = aspect >= 1.4 ? ['link_1_91', 'square', 'portrait_4_5'] : aspect <= 0.9 ? ['portrait_4_5', 'square', 'link_1_91'] : ['square', 'portrait_4_5', 'link_1_91'];
    return order.find((n) => names.has(n) && fits(renditions.find((r) => r.name === n)!, network));
  }
  const videos = renditions.filter((r) => /^video_\d+p$/.test(r.name)).sort((a, b) => (b.height ?? 0) - (a.height ?? 0));
  const judged = videos.filter((r) => r.networks[network] !== undefined);
  if (judged.length > 0) return judged.find((r) => r.networks[network]!.ok)?.name;
  return (videos.find((r) => (r.height ?? 0) <= 720 && (r.height ?? 0) > 0) ?? videos.at(-1))?.name;
}

/** A rendition the library judged for this network must be fit; one it did not judge is taken as is. */
function fits(r: Pick<RenditionRow, 'networks'>, network: string): boolean {
  return r.networks[network]?.ok ?? true;
}
