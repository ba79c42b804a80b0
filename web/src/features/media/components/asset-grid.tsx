'use client';
import { useI18n } from '@/lib/i18n/i18n';
import type { Asset } from '../media.keys';
import { AssetThumb } from './asset-thumb';

/** Thumbnails as toggle buttons; the chosen one is pressed. Expired assets say so in words. */
export function AssetGrid({ assets, loading, selected, onSelect }: { assets: Asset[]; loading: boolean; selected: string | null | string[]; onSelect: (id: string) => void }) {
  const { t, locale } = useI18n();
  if (loading) return <p role="status">{t('shell.loading')}</p>;
  if (assets.length === 0) return <p>{t('media.empty')}</p>;
  const isSelected = (id: string) => (Array.isArray(selected) ? selected.includes(id) : selected === id);
  const now = Date.now();
  return (
    <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 md:grid-cols-4" aria-label={t('media.assets')}>
      {assets.map((a) => {
        const expired = a.expiresAt !== null && Date.parse(a.expiresAt) < now;
        return (
          <li key={a.id}>
            <button
              type="button"
              aria-pressed={isSelected(a.id)}
              onClick={() => onSelect(a.id)}
              className={`block w-full rounded border p-1 text-left text-xs focus-visible:outline-2 focus-visible:outline-indigo-700 ${isSelected(a.id) ? 'border-indigo-700 ring-2 ring-indigo-700' : 'border-slate-300'}`}
            >
              <AssetThumb asset={a} alt="" />
              <span className="mt-1 block truncate font-medium text-slate-900">{a.title || a.originalName}</span>
              <span className="block text-slate-800">
                {t(`media.kind.${a.kind}`)}
                {a.status !== 'ready' ? ` · ${t(`media.status.${a.status}`)}` : ''}
                {expired ? ` · ${t('media.expired')}` : a.expiresAt ? ` · ${t('media.expiresOn', { date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(a.expiresAt)) })}` : ''}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
