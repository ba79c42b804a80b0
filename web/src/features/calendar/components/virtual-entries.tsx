'use client';
import { useState } from 'react';
import type { CalendarItem } from '../hooks/use-calendar';
import { CalendarEntry, ENTRY_HEIGHT_PX } from './calendar-entry';

/** Rows in view of the scroll box, and how many are kept drawn on each side of them. */
const VIEW_ROWS = 10;
const OVERSCAN = 6;

/**
 * A long day's messages in a box that scrolls, drawing only the rows in view and a few either
 * side. Rows have one fixed height, so where each sits is arithmetic. The rows kept either side
 * mean Tab always finds the next one drawn: focusing it scrolls the box, which draws the rows
 * after it. Each row says its place in the whole list for screen readers.
 */
export function VirtualEntries({ items, zone, onMove, label }: { items: CalendarItem[]; zone: string; onMove: (item: CalendarItem) => void; label: string }) {
  const [top, setTop] = useState(0);
  const first = Math.max(0, Math.floor(top / ENTRY_HEIGHT_PX) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil(top / ENTRY_HEIGHT_PX) + VIEW_ROWS + OVERSCAN);
  return (
    <div
      className="overflow-y-auto overscroll-contain"
      style={{ maxHeight: VIEW_ROWS * ENTRY_HEIGHT_PX }}
      role="region"
      aria-label={label}
      onScroll={(e) => setTop(e.currentTarget.scrollTop)}
    >
      <ul className="relative" style={{ height: items.length * ENTRY_HEIGHT_PX }}>
        {items.slice(first, last).map((item, i) => (
          <CalendarEntry key={item.id} item={item} zone={zone} onMove={onMove} position={{ index: first + i, of: items.length }} />
        ))}
      </ul>
    </div>
  );
}
