'use client';
import Link from 'next/link';
import { useI18n } from '@/lib/i18n/i18n';
import type { BreakdownView, Metric, MetricValues } from '../analytics.keys';
import { formatNumber } from '../format';

const COLUMNS: readonly Metric[] = ['impressions', 'reach', 'reactions', 'comments', 'shares', 'followers'];

function MetricCells({ row }: { row: MetricValues }) {
  const { t, locale } = useI18n();
  return (
    <>
      {COLUMNS.map((m) => (
        <td key={m} className="py-1 pr-3 tabular-nums">{row[m] === null ? t('analytics.notAvailable') : formatNumber(locale, row[m])}</td>
      ))}
    </>
  );
}

function Head({ first }: { first: string }) {
  const t = useI18n().t;
  return (
    <thead>
      <tr>
        <th scope="col" className="py-1 pr-3">{first}</th>
        <th scope="col" className="py-1 pr-3">{t('analytics.postsColumn')}</th>
        {COLUMNS.map((m) => (
          <th key={m} scope="col" className="py-1 pr-3">{t(`analytics.metrics.${m}`)}</th>
        ))}
      </tr>
    </thead>
  );
}

/** Per network and per message, each post by its latest figures in the period. */
export function BreakdownTables({ breakdown }: { breakdown: BreakdownView }) {
  const { t, locale } = useI18n();
  return (
    <>
      <section aria-labelledby="by-network-heading" className="mb-6 overflow-x-auto rounded border border-slate-300 bg-white p-4">
        <h2 id="by-network-heading" className="mb-2 text-lg font-semibold">{t('analytics.byNetwork')}</h2>
        {breakdown.networks.length === 0 ? (
          <p className="text-sm text-slate-800">{t('analytics.noData')}</p>
        ) : (
          <table className="w-full text-left text-sm">
            <Head first={t('analytics.networkColumn')} />
            <tbody>
              {breakdown.networks.map((n) => (
                <tr key={n.network} className="border-t border-slate-200">
                  <th scope="row" className="py-1 pr-3 font-normal">{n.network in NETWORK_KEYS ? t(`channels.${n.network as keyof typeof NETWORK_KEYS}`) : n.network}</th>
                  <td className="py-1 pr-3 tabular-nums">{formatNumber(locale, n.posts)}</td>
                  <MetricCells row={n} />
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="by-message-heading" className="mb-6 overflow-x-auto rounded border border-slate-300 bg-white p-4">
        <h2 id="by-message-heading" className="mb-2 text-lg font-semibold">{t('analytics.byMessage')}</h2>
        {breakdown.messages.length === 0 ? (
          <p className="text-sm text-slate-800">{t('analytics.noData')}</p>
        ) : (
          <table className="w-full text-left text-sm">
            <Head first={t('analytics.messageColumn')} />
            <tbody>
              {breakdown.messages.map((m) => (
                <tr key={m.messageId} className="border-t border-slate-200">
                  <th scope="row" className="py-1 pr-3 font-normal">
                    <Link className="text-indigo-800 underline" href={`/messages/view/?id=${m.messageId}`}>{m.title ?? t('analytics.untitled')}</Link>
                  </th>
                  <td className="py-1 pr-3 tabular-nums">{formatNumber(locale, m.posts)}</td>
                  <MetricCells row={m} />
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

const NETWORK_KEYS = { x: 1, facebook: 1, instagram: 1, linkedin: 1, youtube: 1, mastodon: 1, bluesky: 1 } as const;
