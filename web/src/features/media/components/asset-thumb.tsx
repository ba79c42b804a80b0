'use client';
import type { Asset } from '../media.keys';
import { useAsset } from '../hooks/use-media';

/**
 * A ready asset's small picture: the console rendition the server makes for this (a video's is
 * its poster frame); until then its dominant colour. A library page carries each card's signed
 * link; a card given an asset without one (just uploaded, or from elsewhere) reads its asset.
 */
export function AssetThumb({ asset, alt }: { asset: Asset | Omit<Asset, 'thumbnailUrl'>; alt: string }) {
  const listed = 'thumbnailUrl' in asset ? asset.thumbnailUrl : null;
  const detail = useAsset(asset.status === 'ready' && !listed ? asset.id : null);
  const url = listed ?? (detail.data?.renditions.find((r) => r.name === 'console_webp') ?? detail.data?.renditions.find((r) => r.mime.startsWith('image/')))?.url;
  if (!url) return <div aria-hidden="true" className="aspect-video w-full rounded" style={{ background: asset.dominantColor ?? '#cbd5e1' }} />;
  // A plain img: the static export has no image optimiser, and the rendition is already small.
  return <img src={url} alt={alt} className="aspect-video w-full rounded bg-slate-200 object-cover" loading="lazy" />;
}
