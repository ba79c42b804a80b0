'use client';
import { useQueries } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { PreviewMedia } from '@/features/messages/components/network-previews';
import { mediaKeys } from '../media.keys';

/** Attached assets as the previews show them: a thumbnail URL and the alt text in the variant's language. */
export function usePreviewMedia(ids: string[], lang: string): PreviewMedia[] {
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: mediaKeys.one(id),
      queryFn: async () => unwrap(await api.GET('/api/v1/media/assets/{id}', { params: { path: { id } } })),
      staleTime: 4 * 60_000,
    })),
  });
  return ids.map((id, i) => {
    const a = results[i]?.data;
    const r = a?.renditions.find((x) => x.name === 'console_webp') ?? a?.renditions.find((x) => x.mime.startsWith('image/'));
    return { id, kind: a?.kind ?? 'image', thumbnail: r?.url ?? null, alt: a ? (a.altText[lang] ?? a.altText[lang.split('-')[0] ?? lang] ?? a.altText.en ?? '') : '' };
  });
}
