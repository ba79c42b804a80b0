'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { startUpload, watchProcessing, type UploadHandle } from '@/lib/api/uploads';
import { mediaKeys } from '../media.keys';

export interface UploadItem {
  key: string;
  name: string;
  /** 0..100 of the bytes sent. */
  sent: number;
  phase: 'uploading' | 'processing' | 'ready' | 'failed';
  stage?: string;
  /** 0..100 of the server's processing. */
  processed?: number;
  assetId?: string;
  error?: string;
}

/**
 * Files going up (tus, resumable) and then through processing, each with its own progress; the
 * library is re-read when one lands. `onAsset` hears each new asset (the composer attaches it).
 */
export function useUploads(onAsset?: (assetId: string) => void) {
  const qc = useQueryClient();
  const [items, setItems] = useState<UploadItem[]>([]);
  const handles = useRef(new Map<string, UploadHandle | (() => void)>());
  const patch = useCallback((key: string, change: Partial<UploadItem>) => setItems((all) => all.map((i) => (i.key === key ? { ...i, ...change } : i))), []);
  useEffect(() => {
    const open = handles.current;
    return () => {
      for (const h of open.values()) (typeof h === 'function' ? h : h.abort)();
    };
  }, []);

  const add = useCallback(
    (files: FileList | File[]) => {
      for (const file of Array.from(files)) {
        const key = `${file.name}-${file.size}-${Date.now()}-${Math.random()}`;
        setItems((all) => [...all, { key, name: file.name, sent: 0, phase: 'uploading' }]);
        const handle = startUpload(file, {
          onProgress: (sent, total) => patch(key, { sent: total ? Math.round((sent / total) * 100) : 0 }),
          onError: (error) => patch(key, { phase: 'failed', error }),
          onDone: (assetId) => {
            patch(key, { sent: 100, phase: 'processing', assetId });
            onAsset?.(assetId);
            void qc.invalidateQueries({ queryKey: mediaKeys.all() });
            handles.current.set(
              key,
              watchProcessing(assetId, (s) => {
                patch(key, { stage: s.stage, processed: s.progress, ...(s.status === 'ready' ? { phase: 'ready' } : s.status !== 'processing' ? { phase: 'failed', error: s.failure ?? s.status } : {}) });
                if (s.status !== 'processing') {
                  void qc.invalidateQueries({ queryKey: mediaKeys.all() });
                  void qc.invalidateQueries({ queryKey: mediaKeys.one(assetId) });
                }
              }),
            );
          },
        });
        handles.current.set(key, handle);
      }
    },
    [onAsset, patch, qc],
  );
  return { items, add };
}
