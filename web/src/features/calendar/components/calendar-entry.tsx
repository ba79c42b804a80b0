'use client';
import Link from 'next/link';
import { memo } from 'react';
import { useT } from '@/lib/i18n/i18n';
import type { CalendarItem } from '../hooks/use-calendar';
import { zoneAbbreviation } from '../zone-label';
import { StatusIcon } from './status-icon';

export const DRAG_TYPE = 'application/x-guddu-message';
/** Every entry is one line of this height, so a long day's list can draw only the rows in view. */
export const ENTRY_HEIGHT_PX = 22;

/**
 * One scheduled message: its time with its zone, status as an icon as well as colour, a link to
 * it, and a Move button (the keyboard's way to do what dragging does).
 */
export const CalendarEntry = memo(function CalendarEntry({ item, zone, onMove, position }: { item: CalendarItem; zone: string; onMove: (item: CalendarItem) => void; position?: { index: number; of: number } }) {
  const t = useT();
  return (
    <li
      className={`group flex items-center gap-1 truncate ${position ? 'absolute inset-x-0' : ''}`}
      style={position ? { top: position.index * ENTRY_HEIGHT_PX, height: ENTRY_HEIGHT_PX } : { height: ENTRY_HEIGHT_PX }}
      aria-posinset={position ? position.index + 1 : undefined}
      aria-setsize={position?.of}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, item.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
    >
      <StatusIcon status={item.status} />
      {/* No prefetch: a month shows hundreds of these, all to the same route, already loaded with the shell's navigation. */}
      <Link prefetch={false} className="truncate text-indigo-800 underline" href={`/messages/view/?id=${item.id}`}>
        <time dateTime={item.scheduledAt}>
          {item.localTime.slice(0, 5)} {zoneAbbreviation(zone, item.scheduledAt)}
        </time>{' '}
        {item.title}
      </Link>
      <button
        type="button"
        className="ml-auto shrink-0 rounded px-1 text-xs text-slate-800 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-700"
        aria-label={t('calendar.moveLabel', { title: item.title })}
        onClick={() => onMove(item)}
      >
        {t('calendar.move')}
      </button>
    </li>
  );
});
