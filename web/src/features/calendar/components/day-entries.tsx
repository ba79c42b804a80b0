'use client';
import { useState } from 'react';
import { useT } from '@/lib/i18n/i18n';
import type { CalendarItem } from '../hooks/use-calendar';
import { CalendarEntry } from './calendar-entry';
import { VirtualEntries } from './virtual-entries';

/**
 * A day's messages, the first few shown and the rest collapsed to a count that expands in place.
 * Only what is shown is rendered, so a month of 5,000 stays a few hundred nodes; an expanded busy
 * day scrolls within its cell and renders only the rows in view (a day of 170 took 150-450 ms to
 * expand when every row was drawn). The expansion is this cell's own state: the month does not
 * re-render.
 */
export function DayEntries({ date, items, total, shown, zone, onMove }: { date: string; items: CalendarItem[]; total: number; shown: number; zone: string; onMove: (item: CalendarItem) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const hidden = open ? 0 : total - Math.min(shown, items.length);
  return (
    <>
      {open && items.length > shown ? (
        <VirtualEntries items={items} zone={zone} onMove={onMove} label={t('calendarMore.dayList', { date, count: items.length })} />
      ) : (
        <ul className="space-y-0.5">
          {items.slice(0, shown).map((item) => (
            <CalendarEntry key={item.id} item={item} zone={zone} onMove={onMove} />
          ))}
        </ul>
      )}
      {hidden > 0 || open ? (
        <button type="button" className="mt-0.5 rounded text-xs font-medium text-indigo-800 underline focus-visible:outline-2 focus-visible:outline-indigo-700" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t('calendar.fewer') : t('calendar.moreOn', { count: hidden, date })}
        </button>
      ) : null}
    </>
  );
}
