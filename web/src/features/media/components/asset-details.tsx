'use client';
import Link from 'next/link';
import { useState } from 'react';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { problemText } from '@/features/shell/problem-text';
import { directionOf, languageName } from '@/features/messages/language';
import { useAsset, useUpdateAsset } from '../hooks/use-media';
import type { AssetDetail } from '../media.keys';
import { AssetThumb } from './asset-thumb';

/** One asset: its picture, alt text per language (each edited in its own lang and direction), expiry, and the messages that use it. */
export function AssetDetails({ id }: { id: string }) {
  const { t } = useI18n();
  const asset = useAsset(id);
  // Here, not in the form: a save re-reads the asset, which re-keys the form, and its outcome must outlive that.
  const update = useUpdateAsset();
  if (asset.isError) return <Alert>{t('media.notFound')}</Alert>;
  if (!asset.data) return <p role="status">{t('shell.loading')}</p>;
  return <AssetForm key={`${asset.data.id}-${asset.data.updatedAt}`} asset={asset.data} update={update} />;
}

function AssetForm({ asset, update }: { asset: AssetDetail; update: ReturnType<typeof useUpdateAsset> }) {
  const { t, locale } = useI18n();
  const [title, setTitle] = useState(asset.title);
  const [alt, setAlt] = useState<Record<string, string>>({ en: '', hi: '', ...asset.altText });
  const [newLang, setNewLang] = useState('');
  const [expires, setExpires] = useState(asset.expiresAt ? asset.expiresAt.slice(0, 10) : '');
  const save = () => {
    const altText = Object.fromEntries(Object.entries(alt).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
    update.mutate({ id: asset.id, body: { title, altText, expiresAt: expires ? new Date(`${expires}T23:59:59Z`).toISOString() : null } });
  };
  return (
    <section aria-labelledby="asset-title" className="rounded border border-slate-300 p-3">
      <h2 id="asset-title" className="mb-2 text-lg font-medium">
        {asset.title || asset.originalName}
      </h2>
      <AssetThumb asset={asset} alt={alt[locale] || alt.en || ''} />
      <p className="mt-1 text-xs text-slate-800">
        {t('media.facts', { kind: t(`media.kind.${asset.kind}`), size: Math.round(asset.bytes / 1024), width: asset.width ?? '–', height: asset.height ?? '–' })}
      </p>
      {asset.status !== 'ready' ? <p className="text-sm">{t('media.state', { status: asset.status, stage: asset.stage, progress: Math.round(asset.progress) })}</p> : null}
      <div className="mt-3">
        <TextField label={t('media.titleField')} value={title} onChange={(e) => setTitle(e.target.value)} />
        <fieldset className="mb-3">
          <legend className="text-sm font-medium text-slate-900">{t('media.altText')}</legend>
          {Object.keys(alt).map((tag) => (
            <TextField key={tag} label={t('media.altIn', { language: languageName(tag, locale) })} lang={tag} dir={directionOf(tag)} value={alt[tag] ?? ''} onChange={(e) => setAlt({ ...alt, [tag]: e.target.value })} />
          ))}
          <div className="flex items-end gap-2">
            <TextField label={t('media.addAltLanguage')} value={newLang} onChange={(e) => setNewLang(e.target.value)} />
            <Button
              tone="secondary"
              className="mb-3"
              onClick={() => {
                const tag = newLang.trim();
                if (/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag) && !(tag in alt)) setAlt({ ...alt, [tag]: '' });
                setNewLang('');
              }}
            >
              {t('composer.add')}
            </Button>
          </div>
        </fieldset>
        <TextField label={t('media.expires')} hint={t('media.expiresHint')} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        {update.error ? <Alert>{update.error instanceof ApiError ? problemText(t, update.error) : t('errors.unknown_error')}</Alert> : null}
        {update.isSuccess ? <p role="status" className="mb-2 text-sm text-emerald-900">{t('media.saved')}</p> : null}
        <Button onClick={save} disabled={update.isPending}>
          {t('media.save')}
        </Button>
      </div>
      <h3 className="mt-4 text-sm font-medium">{t('media.usedBy')}</h3>
      {asset.usedBy.length === 0 ? (
        <p className="text-sm">{t('media.unused')}</p>
      ) : (
        <ul className="text-sm">
          {asset.usedBy.map((m) => (
            <li key={m.id}>
              <Link className="text-indigo-800 underline" href={`/messages/view/?id=${m.id}`}>
                {m.title}
              </Link>{' '}
              ({t(`status.${m.status as 'draft'}`)})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
