'use client';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { browserZone, timeZones } from '@/lib/time/zones';
import { useI18n } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { PageHeading } from '@/ui/page-heading';
import { Tab, TabList, TabPanel, Tabs } from '@/ui/tabs';
import { StatusBadge } from '@/features/messages/components/status-badge';
import { monthGrid, monthRange, todayIn } from '../dates';
import { useCalendar } from '../hooks/use-calendar';

const SHOWN_PER_DAY = 3;

/** A month in a chosen zone: a grid with busy days collapsed to a count, and the same as a list. */
export function CalendarScreen() {
  const { t, locale } = useI18n();
  const [zone, setZone] = useState(browserZone);
  const [cursor, setCursor] = useState(() => {
    const [y, m] = todayIn(zone).split('-').map(Number);
    return { year: y!, month: m! - 1 };
  });
  const range = monthRange(cursor.year, cursor.month);
  const calendar = useCalendar({ ...range, zone });
  const zones = useMemo(() => timeZones(), []);
  const byDay = useMemo(() => {
    const map = new Map<string, NonNullable<typeof calendar.data>['items']>();
    for (const item of calendar.data?.items ?? []) map.set(item.localDate, [...(map.get(item.localDate) ?? []), item]);
    return map;
  }, [calendar.data]);
  const counts = new Map((calendar.data?.days ?? []).map((d) => [d.date, d.count]));
  const monthName = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(cursor.year, cursor.month, 1)));
  const weekdays = Array.from({ length: 7 }, (_, i) => new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + i))));
  const move = (delta: number) => setCursor(({ year, month }) => ({ year: year + Math.floor((month + delta) / 12), month: (((month + delta) % 12) + 12) % 12 }));

  return (
    <>
      <PageHeading>{t('calendar.title')}</PageHeading>
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <Button tone="secondary" onClick={() => move(-1)}>{t('calendar.previous')}</Button>
        <h2 className="min-w-48 text-center text-lg font-medium" aria-live="polite">{monthName}</h2>
        <Button tone="secondary" onClick={() => move(1)}>{t('calendar.next')}</Button>
        <label className="ml-auto text-sm">
          {t('calendar.zone')}{' '}
          <select className="rounded border border-slate-500 bg-white px-1 py-0.5" value={zone} onChange={(e) => setZone(e.target.value)}>
            {zones.map((z) => <option key={z} value={z}>{z}</option>)}
          </select>
        </label>
      </div>
      <Tabs defaultValue="month">
        <TabList label={t('calendar.views')}>
          <Tab value="month">{t('calendar.month')}</Tab>
          <Tab value="list">{t('calendar.list')}</Tab>
        </TabList>
        <TabPanel value="month" className="pt-3">
          <table className="w-full table-fixed border-collapse text-sm">
            <caption className="sr-only">{t('calendar.caption', { month: monthName, zone })}</caption>
            <thead>
              <tr>{weekdays.map((w) => <th key={w} scope="col" className="py-1">{w}</th>)}</tr>
            </thead>
            <tbody>
              {chunk(monthGrid(cursor.year, cursor.month), 7).map((week, i) => (
                <tr key={i}>
                  {week.map((day, j) => (
                    <td key={j} className="h-24 border border-slate-300 align-top">
                      {day ? (
                        <div className="p-1">
                          <div className="text-xs font-semibold">{Number(day.slice(8))}</div>
                          <ul>
                            {(byDay.get(day) ?? []).slice(0, SHOWN_PER_DAY).map((item) => (
                              <li key={item.id} className="truncate">
                                <Link className="text-indigo-800 underline" href={`/messages/view/?id=${item.id}`}>
                                  {item.localTime.slice(0, 5)} {item.title}
                                </Link>
                              </li>
                            ))}
                          </ul>
                          {(counts.get(day) ?? 0) > SHOWN_PER_DAY ? <div className="text-xs">{t('calendar.more', { count: (counts.get(day) ?? 0) - SHOWN_PER_DAY })}</div> : null}
                        </div>
                      ) : null}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TabPanel>
        <TabPanel value="list" className="pt-3">
          {calendar.data?.items.length ? (
            <ul className="divide-y divide-slate-200">
              {calendar.data.items.map((item) => (
                <li key={item.id} className="flex gap-3 py-1.5 text-sm">
                  <span>{item.localDate} {item.localTime.slice(0, 5)} ({zone})</span>
                  <Link className="text-indigo-800 underline" href={`/messages/view/?id=${item.id}`}>{item.title}</Link>
                  <StatusBadge status={item.status} />
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('calendar.empty')}</p>
          )}
        </TabPanel>
      </Tabs>
    </>
  );
}

function chunk<T>(items: T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}
