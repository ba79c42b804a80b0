'use client';
import { useI18n } from '@/lib/i18n/i18n';
import { addDays } from '../dates';
import type { CalendarItem } from '../hooks/use-calendar';
import { DayEntries } from './day-entries';
import { DropDay } from './day-cell';

const SHOWN_PER_DAY = 12;

interface Props {
  from: string;
  zone: string;
  caption: string;
  byDay: Map<string, CalendarItem[]>;
  counts: Map<string, number>;
  onMove: (item: CalendarItem) => void;
  onDropMessage: (id: string, date: string) => void;
}

/** Seven days side by side, more of each day shown than the month can. */
export function WeekView({ from, zone, caption, byDay, counts, onMove, onDropMessage }: Props) {
  const { locale } = useI18n();
  const days = Array.from({ length: 7 }, (_, i) => addDays(from, i));
  const label = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  return (
    <table className="w-full table-fixed border-collapse text-sm">
      <caption className="mb-1 text-left text-sm text-slate-800">{caption}</caption>
      <thead>
        <tr>
          {days.map((d) => (
            <th key={d} scope="col" className="py-1">
              {label.format(new Date(`${d}T00:00:00Z`))}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        <tr>
          {days.map((d) => (
            <DropDay key={d} date={d} onDropMessage={onDropMessage} className="h-96 border border-slate-300 p-1 align-top">
              <DayEntries date={d} items={byDay.get(d) ?? []} total={counts.get(d) ?? byDay.get(d)?.length ?? 0} shown={SHOWN_PER_DAY} zone={zone} onMove={onMove} />
            </DropDay>
          ))}
        </tr>
      </tbody>
    </table>
  );
}
