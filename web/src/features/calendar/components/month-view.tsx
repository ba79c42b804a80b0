'use client';
import { useI18n } from '@/lib/i18n/i18n';
import { monthGrid } from '../dates';
import type { CalendarItem } from '../hooks/use-calendar';
import { DayEntries } from './day-entries';
import { DropDay } from './day-cell';

const SHOWN_PER_DAY = 3;

interface Props {
  year: number;
  month: number;
  zone: string;
  caption: string;
  byDay: Map<string, CalendarItem[]>;
  counts: Map<string, number>;
  onMove: (item: CalendarItem) => void;
  onDropMessage: (id: string, date: string) => void;
}

export function MonthView({ year, month, zone, caption, byDay, counts, onMove, onDropMessage }: Props) {
  const { locale } = useI18n();
  const weekdays = Array.from({ length: 7 }, (_, i) => new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + i))));
  return (
    <table className="w-full table-fixed border-collapse text-sm">
      <caption className="mb-1 text-left text-sm text-slate-800">{caption}</caption>
      <thead>
        <tr>
          {weekdays.map((w) => (
            <th key={w} scope="col" className="py-1">
              {w}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {chunk(monthGrid(year, month), 7).map((week, i) => (
          <tr key={i}>
            {week.map((day, j) =>
              day ? (
                <DropDay key={day} date={day} onDropMessage={onDropMessage} className="h-24 border border-slate-300 p-1 align-top">
                  <div className="text-xs font-semibold">{Number(day.slice(8))}</div>
                  <DayEntries date={day} items={byDay.get(day) ?? []} total={counts.get(day) ?? byDay.get(day)?.length ?? 0} shown={SHOWN_PER_DAY} zone={zone} onMove={onMove} />
                </DropDay>
              ) : (
                <td key={`pad-${j}`} className="border border-slate-300" />
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function chunk<T>(items: T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}
