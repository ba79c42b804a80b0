'use client';
import { useI18n } from '@/lib/i18n/i18n';
import type { ApiError } from '@/lib/api/errors';
import { problemText } from '@/features/shell/problem-text';
import type { SaveState } from '../hooks/use-autosave';

/** Where the draft stands, said in words, politely announced: never a surprise, never a toast. */
export function SaveStatus({ state, savedAt, error, saveable }: { state: SaveState; savedAt: Date | undefined; error: ApiError | undefined; saveable: boolean }) {
  const { t, locale } = useI18n();
  const time = savedAt ? new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(savedAt) : '';
  const text =
    state === 'saving'
      ? t('composer.save.saving')
      : state === 'saved'
        ? t('composer.save.saved', { time })
        : state === 'conflict'
          ? t('composer.save.conflict')
          : state === 'error'
            ? t('composer.save.error', { problem: error ? problemText(t, error) : t('errors.unknown_error') })
            : state === 'unsaved'
              ? saveable
                ? t('composer.save.unsaved')
                : t('composer.save.local')
              : '';
  return (
    <p role="status" className="mb-3 min-h-5 text-sm text-slate-800">
      {text}
    </p>
  );
}
