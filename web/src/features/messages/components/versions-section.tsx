'use client';
import { useState } from 'react';
import { useI18n } from '@/lib/i18n/i18n';
import { useVersions, useWordDiff } from '../hooks/use-message-history';
import { Instant } from './instant';
import { WordDiff } from './word-diff';

/**
 * Every version, newest first, and the word diff of the current one against another: by default
 * the last approved version when there is one, else the previous.
 */
export function VersionsSection({ id, current, approved }: { id: string; current: number; approved: number | undefined }) {
  const { t } = useI18n();
  const versions = useVersions(id);
  const fallback = approved !== undefined && approved !== current ? approved : current > 1 ? current - 1 : undefined;
  const [chosen, setChosen] = useState<number | undefined>(undefined);
  const from = chosen ?? fallback;
  const diff = useWordDiff(id, from === undefined ? undefined : { from, to: current });
  const items = versions.data?.items ?? [];
  return (
    <section aria-labelledby="versions-heading" className="mb-6">
      <h2 id="versions-heading" className="mb-2 text-lg font-semibold">{t('detail.versions')}</h2>
      <ol className="mb-3 text-sm">
        {items.map((v) => (
          <li key={v.number}>
            {t('detail.versionLine', { version: v.number })} · <Instant at={v.createdAt} />
            {v.number === approved ? ` · ${t('detail.approvedVersion')}` : ''}
            {v.restoredFrom !== null ? ` · ${t('detail.restoredFrom', { version: v.restoredFrom })}` : ''}
          </li>
        ))}
      </ol>
      {from !== undefined ? (
        <>
          <label className="mb-2 flex items-center gap-2 text-sm">
            <span>{t('detail.compareWith', { version: current })}</span>
            <select className="rounded border border-slate-500 bg-white px-1 py-0.5" value={from} onChange={(e) => setChosen(Number(e.target.value))}>
              {items
                .filter((v) => v.number !== current)
                .map((v) => (
                  <option key={v.number} value={v.number}>
                    {v.number === approved ? t('detail.versionApprovedOption', { version: v.number }) : t('detail.versionLine', { version: v.number })}
                  </option>
                ))}
            </select>
          </label>
          {diff.data ? <WordDiff diff={diff.data} /> : <p role="status">{t('shell.loading')}</p>}
        </>
      ) : (
        <p className="text-sm">{t('detail.onlyVersion')}</p>
      )}
    </section>
  );
}
