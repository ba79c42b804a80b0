'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '@/lib/api/client';
import { ApiError, unwrap } from '@/lib/api/errors';
import { savedShape, saveable } from '../draft-store';
import { messagesKeys } from '../messages.keys';
import type { Draft } from './use-compose';

/** Saved this long after the last keystroke (the promise is within 2 s). */
export const AUTOSAVE_DELAY_MS = 1_200;

export type SaveState = 'idle' | 'unsaved' | 'saving' | 'saved' | 'error' | 'conflict';
export interface DraftRef {
  id: string;
  revision: number;
}

const bodiesOf = (d: Draft) => Object.fromEntries(Object.entries(d.bodies).filter(([, text]) => text.trim() !== ''));

/**
 * Saves the draft to the server shortly after typing stops: created once, then edited with
 * If-Match on the revision it last saw, so a change made elsewhere meanwhile is a conflict,
 * never overwritten. One save at a time; what changed during a save is saved right after.
 */
export function useAutosave(draft: Draft, initial: DraftRef | null, onSaved: (ref: DraftRef) => void) {
  const qc = useQueryClient();
  const ref = useRef<DraftRef | null>(initial);
  const saved = useRef<string>(initial ? savedShape(draft) : '');
  const latest = useRef(draft);
  const running = useRef<Promise<DraftRef | undefined> | undefined>(undefined);
  const [state, setState] = useState<SaveState>('idle');
  const [savedAt, setSavedAt] = useState<Date | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  latest.current = draft;

  const saveOnce = useCallback(async (): Promise<DraftRef | undefined> => {
    const d = latest.current;
    const shape = savedShape(d);
    if (!saveable(d)) return ref.current ?? undefined;
    if (shape === saved.current && ref.current) return ref.current;
    setState('saving');
    try {
      const content = { bodies: bodiesOf(d), channels: d.channels, targets: d.targets ?? [], media: d.media ?? [] };
      const m = ref.current
        ? unwrap(await api.PATCH('/api/v1/messages/{id}', { params: { path: { id: ref.current.id } }, headers: { 'if-match': `"${ref.current.revision}"` }, body: { title: d.title.trim(), content } }))
        : unwrap(await api.POST('/api/v1/messages', { body: { title: d.title.trim(), content } }));
      ref.current = { id: m.id, revision: m.revision };
      saved.current = shape;
      setSavedAt(new Date());
      setError(undefined);
      setState(savedShape(latest.current) === shape ? 'saved' : 'unsaved');
      onSaved(ref.current);
      void qc.invalidateQueries({ queryKey: messagesKeys.all() });
      return ref.current;
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'network_error', String(err));
      setError(e);
      setState(e.code === 'stale_revision' ? 'conflict' : 'error');
      throw e;
    }
  }, [onSaved, qc]);

  /** Saves now (waiting for a save under way) and answers the server draft, if there is one. */
  const flush = useCallback(async (): Promise<DraftRef | undefined> => {
    while (running.current) await running.current.catch(() => undefined);
    running.current = saveOnce().finally(() => (running.current = undefined));
    return running.current;
  }, [saveOnce]);

  const shape = savedShape(draft);
  useEffect(() => {
    if (shape === saved.current || state === 'conflict') return;
    setState((s) => (s === 'saving' ? s : 'unsaved'));
    if (!saveable(latest.current)) return;
    const timer = setTimeout(() => void flush().catch(() => undefined), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
    // `state` is left out on purpose: a finished save must not restart the timer by itself.
  }, [shape, flush]);

  const typed = draft.title.trim() !== '' || Object.values(draft.bodies).some((b) => b.trim() !== '');
  const dirty = shape !== saved.current && typed;
  return { state, savedAt, error, dirty, flush, ref };
}
