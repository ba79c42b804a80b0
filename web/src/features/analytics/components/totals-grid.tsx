'use client';
import { useI18n } from '@/lib/i18n/i18n';
import { changeOf, HEADLINE, type SeriesView } from '../analytics.keys';
import { formatNumber } from '../format';

/**
 * The period's totals beside the previous period's: the change is said in words (up, down,
 * the same), never by colour alone; a figure no network in scope exposes says "not available".
 */
export function TotalsGrid({ series }: { series: SeriesView }) {
  const { t, locale } = useI18n();
  const previous = series.previous?.totals;
  return (
    <section aria-labelledby="totals-heading" className="mb-6">
      <h2 id="totals-heading" className="mb-2 text-lg font-semibold">{t('analytics.totals')}</h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        {HEADLINE.map((m) => {
          const value = series.current.totals[m];
          const change = changeOf(value, previous?.[m]);
          const n = (v: number) => formatNumber(locale, v);
          const said =
            change.kind === 'na'
              ? t('analytics.changeNa')
              : change.kind === 'same'
                ? t('analytics.changeSame')
                : change.percent === null
                  ? t(change.kind === 'up' ? 'analytics.changeUpNoPercent' : 'analytics.changeDownNoPercent', { delta: n(change.delta) })
                  : t(change.kind === 'up' ? 'analytics.changeUp' : 'analytics.changeDown', { delta: n(change.delta), percent: change.percent });
          return (
            <div key={m} className="rounded border border-slate-300 bg-white p-3">
              <dt className="text-sm font-medium text-slate-800">{t(`analytics.metrics.${m}`)}</dt>
              <dd className="text-2xl font-semibold text-slate-900">{value === null ? t('analytics.notAvailable') : n(value)}</dd>
              <dd className="text-xs text-slate-800">
                {change.kind === 'up' ? '▲ ' : change.kind === 'down' ? '▼ ' : ''}
                {said}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
