'use client';
import type { Asset } from '../media.keys';
import { useAsset } from '../hooks/use-media';

/**
 * A ready asset's small picture: the console rendition the server makes for this (a video's is
 * its poster frame); until then its dominant colour. The list carries no URLs, so each card reads
 * its asset (cached; the signed URLs last longer than the cache keeps them).
 */
export function AssetThumb({ asset, alt }: { asset: Asset; alt: string }) {
  const detail = useAsset(asset.status === 'ready' ? asset.id : null);
  const rendition = detail.data?.renditions.find((r) => r.name === 'console_webp') ?? detail.data?.renditions.find((r) => r.mime.startsWith('image/'));
  if (!rendition) return <div aria-hidden="true" className="aspect-video w-full rounded" style={{ background: asset.dominantColor ?? '#cbd5e1' }} />;
  // A plain img: the static export has no image optimiser, and the rendition is already small.
  return <img src={rendition.url} alt={alt} className="aspect-video w-full rounded bg-slate-200 object-cover" loading="lazy" />;
}
