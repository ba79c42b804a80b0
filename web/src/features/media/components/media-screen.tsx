'use client';
import { useState } from 'react';
import { useI18n } from '@/lib/i18n/i18n';
import { Button } from '@/ui/button';
import { TextField } from '@/ui/field';
import { PageHeading } from '@/ui/page-heading';
import { useAssets, useCreateFolder, useFolders } from '../hooks/use-media';
import { useUploads } from '../hooks/use-uploads';
import { AssetDetails } from './asset-details';
import { AssetGrid } from './asset-grid';
import { UploadButton } from './upload-button';
import { UploadProgress } from './upload-progress';

const SELECT = 'mt-1 block rounded border border-slate-500 bg-white px-1 py-1';

/** Browse, search and filter the library, folders, upload with progress, and one asset's details. */
export function MediaScreen() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<'' | 'image' | 'video'>('');
  const [folderId, setFolderId] = useState('');
  const [folderName, setFolderName] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const assets = useAssets({ q: q.trim() || undefined, kind: kind || undefined, folderId: folderId || undefined });
  const folders = useFolders();
  const createFolder = useCreateFolder();
  const uploads = useUploads();

  return (
    <>
      <PageHeading>{t('media.title')}</PageHeading>
      <div className="mb-3 flex flex-wrap items-end gap-3">
        <TextField label={t('media.search')} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        <label className="mb-3 text-sm">
          {t('media.kindFilter')}
          <select className={SELECT} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="">{t('calendar.any')}</option>
            <option value="image">{t('media.kind.image')}</option>
            <option value="video">{t('media.kind.video')}</option>
          </select>
        </label>
        <label className="mb-3 text-sm">
          {t('media.folder')}
          <select className={SELECT} value={folderId} onChange={(e) => setFolderId(e.target.value)}>
            <option value="">{t('media.allFolders')}</option>
            {(folders.data ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <TextField label={t('media.newFolder')} value={folderName} onChange={(e) => setFolderName(e.target.value)} />
        <Button
          tone="secondary"
          className="mb-3"
          disabled={!folderName.trim() || createFolder.isPending}
          onClick={() => createFolder.mutate({ name: folderName.trim(), parentId: folderId || null }, { onSuccess: (f) => (setFolderName(''), setFolderId(f.id)) })}
        >
          {t('media.createFolder')}
        </Button>
        <UploadButton className="mb-3" onFiles={uploads.add} />
      </div>
      <UploadProgress items={uploads.items} />
      <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
        <AssetGrid assets={assets.data?.items ?? []} loading={assets.isLoading} selected={selected} onSelect={setSelected} />
        {selected ? <AssetDetails key={selected} id={selected} /> : null}
      </div>
    </>
  );
}
