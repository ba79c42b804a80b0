'use client';
import { useId } from 'react';
import { useI18n } from '@/lib/i18n/i18n';
import { SENTIMENTS, sentimentShares, type BreakdownView } from '../analytics.keys';
import { formatBucket, formatNumber } from '../format';

const BAR: Record<(typeof SENTIMENTS)[number], string> = { positive: 'bg-emerald-700', neutral: 'bg-slate-400', negative: 'bg-red-700', unsupported: 'bg-white' };
const PATTERN: Record<(typeof SENTIMENTS)[number], string> = { positive: '+', neutral: '=', negative: '−', unsupported: '?' };

/**
 * The public's reaction beside reach: the period's shares in words, then one bar per bucket
 * whose segments carry a sign (+ = −) as well as a colour; the table under it has every count.
 */
export function SentimentShare({ sentiment, zone, bucket, headingLevel = 2 }: { sentiment: BreakdownView['sentiment']; zone: string; bucket: 'hour' | 'day'; headingLevel?: 2 | 3 }) {
  const { t, locale } = useI18n();
  const id = useId();
  const s = sentimentShares(sentiment.totals);
  const pct = (v: number) => Math.round(v * 100);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby={`${id}-h`} className="mb-6 rounded border border-slate-300 bg-white p-4">
      <H id={`${id}-h`} className="mb-1 text-lg font-semibold">{t('analytics.sentiment')}</H>
      <p className="mb-2 text-sm text-slate-800">{t('analytics.sentimentExplain')}</p>
      {sentiment.series.length === 0 ? (
        <p className="text-sm text-slate-800">{t('analytics.noComments')}</p>
      ) : (
        <>
          <p className="mb-3 font-medium">
            {t('analytics.sentimentSummary', { scored: formatNumber(locale, s.scored), positive: pct(s.positive), neutral: pct(s.neutral), negative: pct(s.negative), unsupported: formatNumber(locale, sentiment.totals.unsupported) })}
          </p>
          <ul aria-hidden="true" className="mb-2 space-y-1">
            {sentiment.series.map((b) => {
              const total = SENTIMENTS.reduce((n, k) => n + b[k], 0) || 1;
              return (
                <li key={b.bucket} className="flex items-center gap-2 text-xs">
                  <span className="w-36 shrink-0">{formatBucket(locale, zone, b.bucket, bucket)}</span>
                  <span className="flex h-4 w-full max-w-md overflow-hidden rounded border border-slate-500">
                    {SENTIMENTS.map((k) =>
                      b[k] > 0 ? (
                        <span key={k} className={`${BAR[k]} flex items-center justify-center text-[10px] font-bold ${k === 'unsupported' || k === 'neutral' ? 'text-slate-900' : 'text-white'}`} style={{ width: `${(b[k] / total) * 100}%` }}>
                          {PATTERN[k]}
                        </span>
                      ) : null,
                    )}
                  </span>
                </li>
              );
            })}
          </ul>
          <details>
            <summary className="cursor-pointer text-sm text-indigo-800 underline">{t('analytics.showSentimentTable')}</summary>
            <table className="mt-2 w-full text-left text-sm">
              <thead>
                <tr>
                  <th scope="col" className="py-1 pr-3">{t('analytics.bucketColumn')}</th>
                  {SENTIMENTS.map((k) => (
                    <th key={k} scope="col" className="py-1 pr-3">{`${PATTERN[k]} ${t(`analytics.sentiments.${k}`)}`}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {sentiment.series.map((b) => (
                  <tr key={b.bucket} className="border-t border-slate-200">
                    <th scope="row" className="py-1 pr-3 font-normal">{formatBucket(locale, zone, b.bucket, bucket)}</th>
                    {SENTIMENTS.map((k) => (
                      <td key={k} className="py-1 pr-3 tabular-nums">{formatNumber(locale, b[k])}</td>
                    ))}
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
