'use client';
import { useState } from 'react';
import { useI18n } from '@/lib/i18n/i18n';
import { browserZone } from '@/lib/time/zones';
import { HEADLINE, rangeOf } from '../analytics.keys';
import { useMessageSeries } from '../hooks/use-analytics';
import { formatNumber } from '../format';
import { SeriesSection } from './series-section';

/** On a message's page: its reach and reactions over the last 30 days, all deliveries summed. */
export function MessageAnalyticsPanel({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const [q] = useState(() => rangeOf(30, browserZone(), Date.now()));
  const series = useMessageSeries(id, q);
  const s = series.data;
  return (
    <section aria-labelledby="message-analytics-heading" className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="message-analytics-heading" className="mb-1 text-lg font-semibold">{t('analytics.panel.title')}</h2>
      <p className="mb-2 text-sm text-slate-800">{t('analytics.panel.explain')}</p>
      {series.isError ? <p className="text-sm">{t('errors.unknown_error')}</p> : null}
      {!s ? (
        series.isError ? null : <p role="status" className="text-sm">{t('shell.loading')}</p>
      ) : s.current.posts === 0 ? (
        <p className="text-sm text-slate-800">{t('analytics.panel.none')}</p>
      ) : (
        <>
          <dl className="mb-3 grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
            <div>
              <dt className="font-medium">{t('analytics.panel.posts')}</dt>
              <dd className="text-lg font-semibold">{formatNumber(locale, s.current.posts)}</dd>
            </div>
            {HEADLINE.filter((m) => m !== 'followers').map((m) => (
              <div key={m}>
                <dt className="font-medium">{t(`analytics.metrics.${m}`)}</dt>
                <dd className="text-lg font-semibold">{s.current.totals[m] === null ? t('analytics.notAvailable') : formatNumber(locale, s.current.totals[m])}</dd>
              </div>
            ))}
          </dl>
          <SeriesSection series={s} />
        </>
      )}
    </section>
  );
}
