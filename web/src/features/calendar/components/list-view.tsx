'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { StatusBadge } from '@/features/messages/components/status-badge';
import type { CalendarItem } from '../hooks/use-calendar';
import { zoneAbbreviation } from '../zone-label';

const PAGE = 200;

/** Earliest first, every time with its zone; long months are shown a page at a time. */
export function ListView({ items, zone, onMove }: { items: CalendarItem[]; zone: string; onMove: (item: CalendarItem) => void }) {
  const t = useT();
  const [limit, setLimit] = useState(PAGE);
  if (items.length === 0) return <p>{t('calendar.empty')}</p>;
  return (
    <>
      <ul className="divide-y divide-slate-200">
        {items.slice(0, limit).map((item) => (
          <li key={item.id} className="flex flex-wrap items-center gap-3 py-1.5 text-sm">
            <time dateTime={item.scheduledAt}>
              {item.localDate} {item.localTime.slice(0, 5)} {zoneAbbreviation(zone, item.scheduledAt)} ({zone})
            </time>
            <Link className="text-indigo-800 underline" href={`/messages/view/?id=${item.id}`}>
              {item.title}
            </Link>
            <StatusBadge status={item.status} />
            <span className="text-xs text-slate-700">{item.channels.map((c) => t(`channels.${c as 'x'}`)).join(', ')}</span>
            <Button tone="secondary" className="ml-auto" aria-label={t('calendar.moveLabel', { title: item.title })} onClick={() => onMove(item)}>
              {t('calendar.move')}
            </Button>
          </li>
        ))}
      </ul>
      {items.length > limit ? (
        <Button tone="secondary" className="mt-2" onClick={() => setLimit(limit + PAGE)}>
          {t('calendar.showMore', { count: items.length - limit })}
        </Button>
      ) : null}
    </>
  );
}
