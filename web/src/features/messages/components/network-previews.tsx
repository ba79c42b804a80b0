'use client';
import { useT } from '@/lib/i18n/i18n';
import type { Channel } from '../content';
import { directionOf } from '../language';
import { FOLD, fold, segmentsFor } from '../preview';

export interface PreviewMedia {
  id: string;
  kind: string;
  thumbnail: string | null;
  alt: string;
}

/** Per-network look: the frame, the display name line and how media sit (grid, square, 16:9). */
const LOOK: Record<Channel, { frame: string; media: string; maxMedia: number }> = {
  x: { frame: 'rounded-xl border border-slate-300', media: 'grid grid-cols-2 gap-0.5 overflow-hidden rounded-xl', maxMedia: 4 },
  facebook: { frame: 'rounded-lg border border-slate-300 shadow-sm', media: 'grid grid-cols-2 gap-0.5', maxMedia: 10 },
  instagram: { frame: 'border border-slate-300', media: 'grid grid-cols-1', maxMedia: 1 },
  linkedin: { frame: 'rounded border border-slate-300', media: 'grid grid-cols-2 gap-0.5', maxMedia: 9 },
  youtube: { frame: 'rounded-lg border border-slate-300', media: 'grid grid-cols-1', maxMedia: 1 },
  mastodon: { frame: 'rounded border border-slate-300 bg-slate-50', media: 'grid grid-cols-2 gap-1 rounded', maxMedia: 4 },
  bluesky: { frame: 'rounded-lg border border-slate-300', media: 'grid grid-cols-2 gap-1 rounded-lg', maxMedia: 4 },
};

/**
 * What the post will look like on each targeted network: text with its links as the network
 * shows them, media thumbnails, and the fold the network applies. Text is rendered as text.
 */
export function NetworkPreviews({ text, lang, channels, media }: { text: string; lang: string; channels: Channel[]; media: PreviewMedia[] }) {
  const t = useT();
  if (channels.length === 0 || (!text.trim() && media.length === 0)) return null;
  return (
    <section className="mb-4" aria-label={t('composer.previews')}>
      <h3 className="mb-2 text-sm font-medium text-slate-900">{t('composer.previews')}</h3>
      <div className="grid gap-3 sm:grid-cols-2">
        {channels.map((ch) => (
          <NetworkPost key={ch} channel={ch} text={text} lang={lang} media={media} />
        ))}
      </div>
    </section>
  );
}

function NetworkPost({ channel, text, lang, media }: { channel: Channel; text: string; lang: string; media: PreviewMedia[] }) {
  const t = useT();
  const look = LOOK[channel];
  const { segments, folded } = fold(segmentsFor(channel, text), FOLD[channel]);
  const shown = media.slice(0, look.maxMedia);
  return (
    <article className={`${look.frame} bg-white p-3 text-sm`} aria-label={t('composer.previewOn', { network: t(`channels.${channel}`) })}>
      <header className="mb-1 flex items-center gap-2">
        <span aria-hidden="true" className="inline-block h-6 w-6 rounded-full bg-slate-300" />
        <span className="font-semibold text-slate-900">{t(`channels.${channel}`)}</span>
      </header>
      <p lang={lang} dir={directionOf(lang)} className="break-words whitespace-pre-wrap text-slate-900">
        {segments.map((s, i) =>
          s.kind === 'link' ? (
            <span key={i} className="text-indigo-800 underline" title={s.href}>
              {s.text}
            </span>
          ) : s.kind === 'tag' ? (
            <span key={i} className="text-indigo-800">
              {s.text}
            </span>
          ) : (
            <span key={i}>{s.text}</span>
          ),
        )}
        {folded ? <span className="text-slate-700">… {t('composer.seeMore')}</span> : null}
      </p>
      {shown.length > 0 ? (
        <div className={`mt-2 ${look.media}`}>
          {shown.map((m) =>
            m.thumbnail ? (
              // A plain img: the static export has no image optimiser, and thumbnails are already small.
              <img key={m.id} src={m.thumbnail} alt={m.alt} className="aspect-video w-full bg-slate-200 object-cover" />
            ) : (
              <div key={m.id} className="flex aspect-video w-full items-center justify-center bg-slate-200 text-xs text-slate-800">
                {m.kind}
              </div>
            ),
          )}
        </div>
      ) : null}
      {media.length > shown.length ? <p className="mt-1 text-xs text-red-900">{t('composer.mediaDropped', { count: media.length - shown.length })}</p> : null}
    </article>
  );
}
