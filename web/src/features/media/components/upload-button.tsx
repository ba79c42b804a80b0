'use client';
import { useId } from 'react';
import { useT } from '@/lib/i18n/i18n';

/** A real file input behind a visible, focusable label styled as a button. */
export function UploadButton({ onFiles, className = '' }: { onFiles: (files: FileList) => void; className?: string }) {
  const t = useT();
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id} className="inline-block cursor-pointer rounded bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-700">
        {t('media.upload')}
        <input
          id={id}
          type="file"
          multiple
          accept="image/*,video/*"
          className="sr-only"
          onChange={(e) => {
            if (e.target.files?.length) onFiles(e.target.files);
            e.target.value = '';
          }}
        />
      </label>
    </div>
  );
}
