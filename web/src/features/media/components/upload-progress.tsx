'use client';
import { useT } from '@/lib/i18n/i18n';
import type { UploadItem } from '../hooks/use-uploads';

/** Each file's upload, then its processing, as labelled progress bars. */
export function UploadProgress({ items }: { items: UploadItem[] }) {
  const t = useT();
  if (items.length === 0) return null;
  return (
    <ul className="mb-3 space-y-2" aria-label={t('media.uploads')}>
      {items.map((i) => {
        const label = i.phase === 'uploading' ? t('media.uploading', { name: i.name }) : i.phase === 'processing' ? t('media.processing', { name: i.name, stage: i.stage ?? '' }) : i.phase === 'ready' ? t('media.ready', { name: i.name }) : t('media.failed', { name: i.name, reason: i.error ?? '' });
        const value = i.phase === 'uploading' ? i.sent : i.phase === 'processing' ? (i.processed ?? 0) : 100;
        return (
          <li key={i.key} className="text-sm">
            <div className={i.phase === 'failed' ? 'text-red-900' : 'text-slate-900'}>{label}</div>
            {i.phase === 'failed' ? null : <progress className="w-full" max={100} value={value} aria-label={label} />}
          </li>
        );
      })}
    </ul>
  );
}
