'use client';
import { ApiError } from '@/lib/api/errors';
import { useT } from '@/lib/i18n/i18n';
import { Alert } from '@/ui/alert';
import { problemText } from '@/features/shell/problem-text';

/** A failed call's reason in the reader's language, or nothing. */
export function ErrorLine({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  return <Alert>{error instanceof ApiError ? problemText(t, error) : t('errors.unknown_error')}</Alert>;
}
