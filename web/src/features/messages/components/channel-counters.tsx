'use client';
import { useT } from '@/lib/i18n/i18n';
import { BODY_FIELD, countFor } from '../counters';
import type { Channel } from '../content';

/** Each targeted network's own count of this text against its limit, in its own unit. */
export function ChannelCounters({ text, channels }: { text: string; channels: Channel[] }) {
  const t = useT();
  if (channels.length === 0) return null;
  return (
    <ul className="mb-3 flex flex-wrap gap-2 text-xs" aria-label={t('composer.counters')}>
      {channels.map((ch) => {
        const c = countFor(BODY_FIELD[ch], text);
        return (
          <li key={ch} className={`rounded border px-1.5 py-0.5 ${c.ok ? 'border-slate-300 text-slate-800' : 'border-red-700 bg-red-50 font-semibold text-red-900'}`}>
            {c.ok ? t('composer.counter', { network: t(`channels.${ch}`), used: c.used, limit: c.limit }) : t('composer.counterOver', { network: t(`channels.${ch}`), used: c.used, limit: c.limit, over: c.used - c.limit })}
          </li>
        );
      })}
    </ul>
  );
}
