'use client';
import { useCallback, useMemo, useState } from 'react';
import { ApiError } from '@/lib/api/errors';
import { browserZone, timeZones } from '@/lib/time/zones';
import { useI18n, type MessageKey, type Vars } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { PageHeading } from '@/ui/page-heading';
import { Tab, TabList, TabPanel, Tabs } from '@/ui/tabs';
import { problemText } from '@/features/shell/problem-text';
import { addDays, daysBetween, monthRange, shiftLocal, todayIn, weekRange } from '../dates';
import { useCalendar, type CalendarItem } from '../hooks/use-calendar';
import { useReschedule } from '../hooks/use-reschedule';
import { CalendarFilters, NO_FILTERS, type Filters } from './calendar-filters';
import { ListView } from './list-view';
import { MonthView } from './month-view';
import { RescheduleDialog } from './reschedule-dialog';
import { WeekView } from './week-view';

type View = 'month' | 'week' | 'list';

/**
 * Month, week and list in a chosen zone. Moving a message (drag, or the Move dialog) keeps its
 * time of day in its own zone and goes through the server's schedule route, whose refusal (a
 * blackout, an embargo, a state that cannot be scheduled) is shown with its reason.
 */
export function CalendarScreen() {
  const { t, locale } = useI18n();
  const [zone, setZone] = useState(browserZone);
  const [view, setView] = useState<View>('month');
  const [anchor, setAnchor] = useState(() => todayIn(zone));
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [moving, setMoving] = useState<CalendarItem | null>(null);
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const zones = useMemo(() => timeZones(), []);
  const year = Number(anchor.slice(0, 4));
  const month = Number(anchor.slice(5, 7)) - 1;
  const range = view === 'week' ? weekRange(anchor) : monthRange(year, month);
  const calendar = useCalendar({ ...range, zone, statuses: filters.statuses, channels: filters.channels, orgIds: filters.orgIds, campaignId: filters.campaignId || undefined });
  const reschedule = useReschedule();
  // mutate and reset are stable across renders (the mutation object is not): callbacks built on
  // them keep the memoised entries from re-rendering a month of items on every state change.
  const { mutate: rescheduleMutate, reset: rescheduleReset } = reschedule;

  const items = calendar.data?.items;
  const byId = useMemo(() => new Map((items ?? []).map((i) => [i.id, i])), [items]);
  const byDay = useMemo(() => {
    const map = new Map<string, CalendarItem[]>();
    for (const item of items ?? []) {
      const day = map.get(item.localDate);
      if (day) day.push(item);
      else map.set(item.localDate, [item]);
    }
    return map;
  }, [items]);
  const counts = useMemo(() => new Map((calendar.data?.days ?? []).map((d) => [d.date, d.count])), [calendar.data]);

  const reason = useCallback((e: unknown) => (e instanceof ApiError ? refusal(t, e) : t('errors.unknown_error')), [t]);
  const move = useCallback(
    (item: CalendarItem, toDate: string, after?: () => void) => {
      const days = daysBetween(item.localDate, toDate);
      if (days === 0) return after?.();
      const local = shiftLocal(item.schedule.local, days);
      setNotice(null);
      rescheduleMutate(
        { id: item.id, local, zone: item.schedule.zone },
        {
          onSuccess: () => {
            setNotice({ tone: 'ok', text: t('calendar.moved', { title: item.title, when: `${local.slice(0, 16).replace('T', ' ')} ${item.schedule.zone}` }) });
            after?.();
          },
          onError: (e) => setNotice({ tone: 'error', text: t('calendar.moveRefused', { title: item.title, reason: reason(e) }) }),
        },
      );
    },
    [rescheduleMutate, reason, t],
  );
  // A refusal of an earlier move must not show in a dialog opened afterwards.
  const openMove = useCallback((item: CalendarItem) => {
    rescheduleReset();
    setMoving(item);
  }, [rescheduleReset]);
  const onDropMessage = useCallback((id: string, date: string) => {
    const item = byId.get(id);
    if (item) move(item, date);
  }, [byId, move]);

  const step = (delta: number) => setAnchor(view === 'week' ? addDays(anchor, 7 * delta) : monthStart(year, month + delta));
  const title = view === 'week'
    ? t('calendar.weekOf', { date: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${range.from}T00:00:00Z`)) })
    : new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month, 1)));
  const caption = t('calendar.caption', { month: title, zone });
  // The dialog's own refusal: the mutation's error while the dialog is open.
  const dialogError = moving && reschedule.error ? reason(reschedule.error) : null;

  return (
    <>
      <PageHeading>{t('calendar.title')}</PageHeading>
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <Button tone="secondary" onClick={() => step(-1)}>{t(view === 'week' ? 'calendar.previousWeek' : 'calendar.previous')}</Button>
        <h2 className="min-w-48 text-center text-lg font-medium" aria-live="polite">{title}</h2>
        <Button tone="secondary" onClick={() => step(1)}>{t(view === 'week' ? 'calendar.nextWeek' : 'calendar.next')}</Button>
        <Button tone="secondary" onClick={() => setAnchor(todayIn(zone))}>{t('calendar.today')}</Button>
        <label className="ml-auto text-sm">
          {t('calendar.zone')}{' '}
          <select className="rounded border border-slate-500 bg-white px-1 py-0.5" value={zone} onChange={(e) => setZone(e.target.value)}>
            {zones.map((z) => <option key={z} value={z}>{z}</option>)}
          </select>
        </label>
      </div>
      <CalendarFilters value={filters} onChange={setFilters} />
      <div role="status" aria-live="polite" className="min-h-6 text-sm">
        {notice ? <p className={notice.tone === 'error' ? 'rounded border border-red-300 bg-red-50 p-2 text-red-900' : 'text-emerald-900'}>{notice.text}</p> : calendar.isFetching ? t('shell.loading') : null}
      </div>
      <Tabs value={view} onValueChange={(v) => setView(v as View)}>
        <TabList label={t('calendar.views')}>
          <Tab value="month">{t('calendar.month')}</Tab>
          <Tab value="week">{t('calendar.week')}</Tab>
          <Tab value="list">{t('calendar.list')}</Tab>
        </TabList>
        <TabPanel value="month" className="pt-3">
          <MonthView year={year} month={month} zone={zone} caption={caption} byDay={byDay} counts={counts} onMove={openMove} onDropMessage={onDropMessage} />
        </TabPanel>
        <TabPanel value="week" className="pt-3">
          <WeekView from={range.from} zone={zone} caption={caption} byDay={byDay} counts={counts} onMove={openMove} onDropMessage={onDropMessage} />
        </TabPanel>
        <TabPanel value="list" className="pt-3">
          <ListView items={items ?? []} zone={zone} onMove={openMove} />
        </TabPanel>
      </Tabs>
      {moving ? (
        <RescheduleDialog
          key={moving.id}
          item={moving}
          error={dialogError}
          pending={reschedule.isPending}
          onClose={() => {
            reschedule.reset();
            setMoving(null);
          }}
          onConfirm={(date) => {
            // The dialog asks for a day in the message's own zone; the move counts days from there.
            const days = daysBetween(moving.schedule.local.slice(0, 10), date);
            move(moving, addDays(moving.localDate, days), () => setMoving(null));
          }}
        />
      ) : null}
    </>
  );
}

function monthStart(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 1));
  return d.toISOString().slice(0, 10);
}

/** The server's code in the reader's language, and its own detail (which blackout, which embargo) after it. */
function refusal(t: (key: MessageKey, vars?: Vars) => string, e: ApiError): string {
  const text = problemText(t, e);
  return text === e.message ? text : `${text} (${e.message})`;
}
