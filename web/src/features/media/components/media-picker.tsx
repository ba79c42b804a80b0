'use client';
import * as Dialog from '@radix-ui/react-dialog';
import { useCallback, useRef, useState } from 'react';
import { useI18n } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { useAsset, useAssets } from '../hooks/use-media';
import { useUploads } from '../hooks/use-uploads';
import type { AssetDetail } from '../media.keys';
import { AssetGrid } from './asset-grid';
import { AssetThumb } from './asset-thumb';
import { UploadButton } from './upload-button';
import { UploadProgress } from './upload-progress';

/**
 * The composer's attachments: what is attached (each removable), and a dialog to choose from the
 * library or upload new files, with progress; an upload is attached as soon as it is an asset.
 */
export function MediaPicker({ value, onChange }: { value: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const assets = useAssets({ q: q.trim() || undefined });
  // An upload lands later: attach it to what is attached then, not when it started.
  const latest = useRef(value);
  latest.current = value;
  const attach = useCallback((id: string) => {
    if (!latest.current.includes(id)) onChange([...latest.current, id]);
  }, [onChange]);
  const uploads = useUploads(attach);
  const toggle = (id: string) => onChange(value.includes(id) ? value.filter((v) => v !== id) : [...value, id]);
  return (
    <fieldset className="mb-4">
      <legend className="text-sm font-medium text-slate-900">{t('media.attached')}</legend>
      {value.length > 0 ? (
        <ul className="mt-1 flex flex-wrap gap-2">
          {value.map((id) => (
            <Attached key={id} id={id} onRemove={() => onChange(value.filter((v) => v !== id))} />
          ))}
        </ul>
      ) : null}
      <UploadProgress items={uploads.items} />
      <Dialog.Root open={open} onOpenChange={setOpen}>
        <Dialog.Trigger asChild>
          <Button tone="secondary" className="mt-2">
            {t('media.attach')}
          </Button>
        </Dialog.Trigger>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 bg-slate-900/50" />
          <Dialog.Content className="fixed top-1/2 left-1/2 max-h-[90vh] w-[48rem] max-w-[95vw] -translate-x-1/2 -translate-y-1/2 overflow-auto rounded bg-white p-5 shadow-lg">
            <Dialog.Title className="text-lg font-semibold text-slate-900">{t('media.pickerTitle')}</Dialog.Title>
            <Dialog.Description className="sr-only">{t('media.pickerTitle')}</Dialog.Description>
            <div className="mt-2 flex flex-wrap items-end gap-3">
              <TextField label={t('media.search')} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
              <UploadButton className="mb-3" onFiles={uploads.add} />
            </div>
            <UploadProgress items={uploads.items} />
            <AssetGrid assets={(assets.data?.items ?? []).filter((a) => a.status !== 'failed' && a.status !== 'cancelled')} loading={assets.isLoading} selected={value} onSelect={toggle} />
            <div className="mt-4 flex justify-end">
              <Dialog.Close asChild>
                <Button>{t('media.done')}</Button>
              </Dialog.Close>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </fieldset>
  );
}

function Attached({ id, onRemove }: { id: string; onRemove: () => void }) {
  const { t, locale } = useI18n();
  const asset = useAsset(id);
  const a = asset.data;
  const name = a ? a.title || a.originalName : id.slice(0, 8);
  return (
    <li className="w-32 text-xs">
      {a ? <AssetThumb asset={a} alt={altOf(a, locale)} /> : <div className="aspect-video w-full rounded bg-slate-200" />}
      <span className="block truncate">{name}</span>
      <button type="button" className="text-indigo-800 underline focus-visible:outline-2 focus-visible:outline-indigo-700" onClick={onRemove}>
        {t('media.remove', { name })}
      </button>
    </li>
  );
}

export function altOf(a: Pick<AssetDetail, 'altText'>, lang: string): string {
  return a.altText[lang] ?? a.altText[lang.split('-')[0] ?? lang] ?? a.altText.en ?? '';
}
