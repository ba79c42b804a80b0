'use client';
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { browserZone } from '@/lib/time/zones';
import { Alert } from '@/ui/alert';
import { PageHeading } from '@/ui/page-heading';
import { can, useMe } from '@/features/auth/hooks/use-me';
import { problemText } from '@/features/shell/problem-text';
import { csvHref, rangeOf, type RangeDays } from '../analytics.keys';
import { useBreakdown, useOrganisationSeries } from '../hooks/use-analytics';
import { BreakdownTables } from './breakdown-tables';
import { RangeControls } from './range-controls';
import { SentimentShare } from './sentiment-share';
import { SeriesSection } from './series-section';
import { ShareLinksSection } from './share-links-section';
import { TotalsGrid } from './totals-grid';

const HOUR = 3_600_000;

/**
 * The organisation dashboard: this organisation and every one below it (a ministry sees its
 * missions), over a period cut in a zone, against the previous period. New snapshots arrive over
 * the live feed and refetch these reads (the shell maps `analytics.*` events to them).
 */
export function AnalyticsScreen() {
  const t = useT();
  const me = useMe().data;
  const [days, setDays] = useState<RangeDays>(30);
  const [zone, setZone] = useState(browserZone);
  // The range ends at the next whole hour; it moves on when that hour passes.
  const [hour, setHour] = useState(() => Math.floor(Date.now() / HOUR));
  useEffect(() => {
    const timer = setInterval(() => setHour(Math.floor(Date.now() / HOUR)), 60_000);
    return () => clearInterval(timer);
  }, []);
  const q = useMemo(() => rangeOf(days, zone, hour * HOUR + 1), [days, zone, hour]);
  const series = useOrganisationSeries(q);
  const breakdown = useBreakdown(q);
  const error = series.error ?? breakdown.error;
  return (
    <>
      <PageHeading>{t('analytics.title')}</PageHeading>
      <p className="mb-3 text-sm text-slate-800">{t('analytics.intro')}</p>
      <RangeControls days={days} zone={zone} onDays={setDays} onZone={setZone} />
      <p className="mb-4 text-sm">
        <a className="text-indigo-800 underline" href={csvHref(q)} download>{t('analytics.csv')}</a>
      </p>
      {error ? <Alert>{error instanceof ApiError ? problemText(t, error) : t('errors.unknown_error')}</Alert> : null}
      {series.data ? (
        <div aria-busy={series.isFetching}>
          <TotalsGrid series={series.data} />
          <SeriesSection series={series.data} />
        </div>
      ) : error ? null : (
        <p role="status">{t('shell.loading')}</p>
      )}
      {breakdown.data ? (
        <>
          <SentimentShare sentiment={breakdown.data.sentiment} zone={breakdown.data.zone} bucket={breakdown.data.bucket} />
          <BreakdownTables breakdown={breakdown.data} />
        </>
      ) : null}
      <ShareLinksSection canManage={can(me, 'settings.manage')} />
    </>
  );
}
