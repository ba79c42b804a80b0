'use client';
import dynamic from 'next/dynamic';
import { useId, useState } from 'react';
import { useI18n } from '@/lib/i18n/i18n';
import { ALL_METRICS, type Metric, type SeriesView } from '../analytics.keys';
import { alignPeriods, formatBucket, formatNumber } from '../format';

// Loaded only when a chart is on screen: the first route never carries it.
const SeriesChart = dynamic(() => import('./series-chart'), { ssr: false });

/** The figure over time: a chart for the eye and, with the same numbers, a table for everyone. */
export function SeriesSection({ series }: { series: SeriesView }) {
  const { t, locale } = useI18n();
  const id = useId();
  const [metric, setMetric] = useState<Metric>('impressions');
  const points = alignPeriods(series, metric);
  const when = (at: string) => formatBucket(locale, series.zone, at, series.bucket);
  const cell = (v: number | null) => (v === null ? t('analytics.notAvailable') : formatNumber(locale, v));
  const name = t(`analytics.metrics.${metric}`);
  return (
    <section aria-labelledby={`${id}-h`} className="mb-6 rounded border border-slate-300 bg-white p-4">
      <h2 id={`${id}-h`} className="mb-2 text-lg font-semibold">{t('analytics.overTime')}</h2>
      <label htmlFor={`${id}-metric`} className="block text-sm font-medium text-slate-900">{t('analytics.chartMetric')}</label>
      <select id={`${id}-metric`} className="mt-1 mb-3 block rounded border border-slate-500 bg-white px-2 py-1.5 text-slate-900" value={metric} onChange={(e) => setMetric(e.target.value as Metric)}>
        {ALL_METRICS.map((m) => (
          <option key={m} value={m}>{t(`analytics.metrics.${m}`)}</option>
        ))}
      </select>
      {points.length === 0 ? (
        <p className="text-sm text-slate-800">{t('analytics.noData')}</p>
      ) : (
        <>
          <SeriesChart points={points} label={t('analytics.chartLabel', { metric: name })} currentName={t('analytics.current')} previousName={t('analytics.previousPeriod')} format={when} />
          <details>
            <summary className="cursor-pointer text-sm text-indigo-800 underline">{t('analytics.showTable')}</summary>
            <table className="mt-2 w-full text-left text-sm">
              <caption className="sr-only">{t('analytics.chartLabel', { metric: name })}</caption>
              <thead>
                <tr>
                  <th scope="col" className="py-1 pr-3">{t('analytics.bucketColumn')}</th>
                  <th scope="col" className="py-1 pr-3">{t('analytics.current')}</th>
                  <th scope="col" className="py-1 pr-3">{t('analytics.previousPeriod')}</th>
                </tr>
              </thead>
              <tbody>
                {points.map((p) => (
                  <tr key={p.at} className="border-t border-slate-200">
                    <th scope="row" className="py-1 pr-3 font-normal">{when(p.at)}</th>
                    <td className="py-1 pr-3">{cell(p.current)}</td>
                    <td className="py-1 pr-3">{cell(p.previous)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
